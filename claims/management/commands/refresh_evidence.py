from django.core.management.base import BaseCommand

from claims.models import Claim


class Command(BaseCommand):
    help = "Recompute every claim's stored evidence summary and search text (after a bulk import, say)."

    def handle(self, *args, **options):
        count = Claim.objects.all().refresh_evidence()
        self.stdout.write(f"Refreshed {count} claims.")

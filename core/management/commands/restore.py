from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, Target, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a dump made by `manage.py backup` into a freshly created, empty PostgreSQL database, "
        "then check every table's row count and checksum against the dump's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The .dump file; its .manifest.json must be beside it.")
        parser.add_argument(
            "--database-url",
            required=True,
            help="postgres://user:password@host:port/name of the empty database to restore into.",
        )
        parser.add_argument("--manifest", type=Path, help="The manifest, if it is not beside the dump.")

    def handle(self, *args, dump: Path, database_url: str, manifest: Path | None, **options):
        try:
            target = Target(dj_database_url.parse(database_url))
        except ValueError as exc:
            raise CommandError(f"--database-url is not a database URL: {exc}") from None
        if not dump.is_file():
            raise CommandError(f"No dump at {dump}.")
        try:
            restored = restore_backup(dump, target, manifest_file=manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(table["rows"] for table in restored["tables"].values())
        self.stdout.write(
            f"Restored {dump} into {target.name!r}: {len(restored['tables'])} tables and {rows} rows "
            f"match the manifest of {restored['created_at']}."
        )

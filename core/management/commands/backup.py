from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backups import BackupError, Target, create_backup, default_output, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database with pg_dump (custom format), with a manifest of every table's "
        "row count and checksum beside it. The dump holds protected identities: encrypt it before it "
        "leaves the server (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="The dump file to write (default: claimdesk-<UTC time>.dump here)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Which configured database to back up.")

    def handle(self, *args, output: Path | None, database: str, **options):
        output = output or default_output()
        try:
            manifest = create_backup(Target(connections[database].settings_dict), output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {output} "
            f"({manifest['dump_bytes']} bytes); manifest: {manifest_path(output)}"
        )

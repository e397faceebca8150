"""Restore a backup: database, media, then the erasures made since it was taken (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_resolve, backup_restore


class Command(BaseCommand):
    help = (
        "Restore BACKUP (a path, a name in BACKUP_DIR, or 'latest'): verify its checksums, pg_restore --clean "
        "into the configured database, put the media back, migrate, and erase again every account erased "
        "after the backup was taken (the erasure ledger). Refuses a database that holds data unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument("--yes", action="store_true", help="replace a database that holds data")

    def handle(self, *args, **options):
        try:
            backup = backup_resolve(options["backup"])
            result = backup_restore(backup=backup, allow_non_empty=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {backup} (taken {result.manifest['taken_at']}): {result.media_files} media files, "
            f"{len(result.reapplied)} erasures re-applied"
        )

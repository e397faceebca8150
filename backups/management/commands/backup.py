"""Back up the database (pg_dump) and the media; keep the BACKUP_KEEP newest (docs/operations.md)."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_create, backup_is_recent


class Command(BaseCommand):
    help = (
        "Write a backup (pg_dump --format=custom, a copy of MEDIA_ROOT, manifest.json with checksums) "
        "to --dir (default BACKUP_DIR) and remove all but the BACKUP_KEEP newest. "
        "--check exits 1 when the newest backup is older than twice BACKUP_INTERVAL_SECONDS (health check)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="where the backups are (default BACKUP_DIR)")
        parser.add_argument("--keep", type=int, default=None, help="how many backups to keep (default BACKUP_KEEP)")
        parser.add_argument("--check", action="store_true", help="only check that a recent backup exists")

    def handle(self, *args, **options):
        if options["check"]:
            max_age = timedelta(seconds=2 * settings.BACKUP_INTERVAL_SECONDS)
            if not backup_is_recent(root=options["dir"], max_age=max_age):
                raise CommandError(f"no backup younger than {max_age} in {options['dir'] or settings.BACKUP_DIR}")
            self.stdout.write("a recent backup exists")
            return
        try:
            result = backup_create(root=options["dir"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.path} ({len(result.manifest['files'])} files)")
        for path in result.removed:
            self.stdout.write(f"removed {path}")

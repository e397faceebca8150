"""The erasure ledger: which accounts were erased and when, without any personal data.

A restore brings back a database from before an erasure; the ledger is how the restore knows to
erase that person again (backups/services.py). A row holds only primary keys, a kind and the
time: keeping it is no reason to keep the person's data.
"""

import uuid

from django.db import models


class ErasureKind(models.TextChoices):
    # The value picks the function that re-applies it (settings.BACKUP_ERASURE_APPLIERS).
    JOBSEEKER_ACCOUNT = "jobseeker_account", "jobseeker account"
    EMPLOYER_ACCOUNT = "employer_account", "employer user account"
    OTHER_ACCOUNT = "account", "other account"


class Erasure(models.Model):
    # A UUID, not a sequence: a restored database restarts its sequences, the ledger file does not.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=ErasureKind.choices)
    # Plain numbers, no foreign keys: the entry outlives what it points at and any restore.
    user_id = models.BigIntegerField(null=True, blank=True)
    candidate_id = models.BigIntegerField(null=True, blank=True)
    erased_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["erased_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} user={self.user_id} at {self.erased_at:%Y-%m-%d %H:%M}"

    def as_ledger_line(self) -> dict:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "user_id": self.user_id,
            "candidate_id": self.candidate_id,
            "erased_at": self.erased_at.isoformat(),
        }

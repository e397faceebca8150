"""The audit log: an append-only, hash-chained record of what the matching system did and
who looked at whose personal data (EU AI Act Art. 12, 19, 26(6)).

Each event's ``hash`` is the SHA-256 of its canonical JSON together with the previous event's
hash, so altering or removing a row in the middle breaks the chain (``manage.py verify_logs``).
Rows are only ever inserted (``audit.services``) and, after the retention, purged from the old
end; the hash of the last purged row is kept in ``AuditAnchor`` so the rest still verifies.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One event; never updated. Holds ids, never names or other personal data."""

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Free text, so an app can log a new kind without a migration here. In use: scoring_run,
    # match_decision, personal_data_view, export, weights_version (and the other apps' kinds).
    kind = models.CharField(max_length=40, db_index=True)
    # An id, not a foreign key: the event outlives an erased account.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=60, blank=True)  # role (and employer id), no name
    service = models.CharField(max_length=20, blank=True)  # the actor's employment service code
    subject_type = models.CharField(max_length=40, blank=True)  # e.g. "candidate", "vacancy"
    subject_id = models.BigIntegerField(null=True, blank=True)
    where = models.CharField(max_length=120, blank=True)  # page name or API operation
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class AuditAnchor(models.Model):
    """One row: where the chain starts after a purge (the hash of the last purged event)."""

    last_purged_seq = models.BigIntegerField(default=0)
    last_purged_hash = models.CharField(max_length=64, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"anchor after #{self.last_purged_seq}"

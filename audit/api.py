"""Access logging for API viewsets whose objects carry a ``candidate_id`` (matches,
applications): every list page and every retrieve by an identity that
``audit_logs_access`` accepts writes one ``personal_data_view`` event per candidate, in one
write per request."""

from .services import audit_views


class AccessLogMixin:
    audit_operation = ""  # e.g. "api:matches"

    def audit_logs_access(self) -> bool:
        """Whether this request's identity is logged (the viewset decides by role)."""
        return True

    def _audit(self, objects, action: str) -> None:
        if self.audit_logs_access():
            audit_views(
                actor=self.request.user,
                candidate_ids=[obj.candidate_id for obj in objects],
                where=f"{self.audit_operation}.{action}",
            )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            self._audit(page, "list")
        return page

    def get_object(self):
        obj = super().get_object()
        if self.action == "retrieve":
            self._audit([obj], "retrieve")
        return obj

    def audit_export(self, queryset) -> None:
        """Log a CSV export of these objects (kind ``export``), before the rows are streamed."""
        if self.audit_logs_access():
            audit_views(
                actor=self.request.user,
                candidate_ids=queryset.prefetch_related(None).values_list("candidate_id", flat=True),
                where=f"{self.audit_operation}.export",
                kind="export",
            )

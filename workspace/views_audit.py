"""The audit log's download for an auditor (portal admins): CSV or JSON, filtered by date and
kind; the same rows as ``manage.py export_logs``. The download itself is logged (``export``)."""

import io
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import admin_required
from audit.exports import write_csv, write_json
from audit.selectors import events_for_export, export_rows
from audit.services import audit_record


@admin_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.GET.get("format") == "json" else "csv"
    try:
        since = date.fromisoformat(request.GET["since"]) if request.GET.get("since") else None
    except ValueError:
        since = None
    kind = request.GET.get("kind", "")[:40]
    audit_record(
        kind="export",
        actor=request.user,
        where="workspace:audit_export",
        data={"format": fmt, "since": since.isoformat() if since else None, "kind": kind},
    )
    out = io.StringIO()
    rows = export_rows(events_for_export(since=since, kind=kind))
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        write_json(rows, out)
        response = HttpResponse(out.getvalue(), content_type="application/json; charset=utf-8")
    else:
        out.write("\ufeff")
        write_csv(rows, out)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.{fmt}"'
    return response

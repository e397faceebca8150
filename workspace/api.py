"""The figures over the API: one figure of the figures page as CSV (same numbers, same choices)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView

from accounts.authentication import ScopePermission
from accounts.models import ApiScope
from accounts.permissions import IsCaseworker
from audit.services import audit_record
from core.api.renderers import CsvRenderer, ErrorsAsJsonMixin
from core.csv_export import csv_response

from . import figures as figures_module
from .forms import FiguresForm


class FigureExportView(ErrorsAsJsonMixin, APIView):
    permission_classes = [IsCaseworker, ScopePermission]
    required_scopes = {"GET": ApiScope.EXPORTS_READ}
    renderer_classes = [CsvRenderer]

    @extend_schema(
        operation_id="matching_figure_csv",
        tags=["matching"],
        summary="A figure of the caseworkers' page as CSV",
        description="Caseworkers (exports:read): vacancies-by-sector, decisions, cross-border, placements — the "
        "same numbers as the figures page. `months` (6, 12 or 24; default 12), `service` (code).",
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(figures_module.FIGURE_SLUGS)),
            OpenApiParameter("months", OpenApiTypes.INT, enum=[6, 12, 24], description="Default 12."),
            OpenApiParameter("service", OpenApiTypes.STR, description="vdab, uwv or wsp-zvl."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        examples=[
            OpenApiExample(
                "csv", value="Month;VDAB;UWV;WSP Zeeuws-Vlaanderen\r\n...", response_only=True, media_type="text/csv"
            )
        ],
    )
    def get(self, request, slug: str):
        if slug not in figures_module.FIGURE_SLUGS:
            raise exceptions.NotFound(_("No such figure."))
        form = FiguresForm(request.query_params)  # the figures page's own choices
        if not form.is_valid():
            raise exceptions.ValidationError(
                form.errors.get_json_data()
                and {
                    name: [error["message"] for error in errors] for name, errors in form.errors.get_json_data().items()
                }
            )
        months = form.cleaned_data.get("months") or 12
        service = form.cleaned_data.get("service")
        figure = figures_module.figure_by_slug(slug, months=months, service=service)
        stamp = timezone.localdate().isoformat()
        audit_record(kind="export", actor=request.user, where="api:figures.export", data={"figure": slug})
        return csv_response(filename=f"{slug}-{stamp}.csv", header=figure.header, rows=figure.rows)

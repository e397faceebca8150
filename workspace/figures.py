"""The caseworkers' figures, and their charts as server-side SVG (no JavaScript library).

Each figure is a small table (categories × series of counts) computed with one aggregate
query; the same numbers feed the chart (SVG with <title>/<desc>), the HTML table beside it
and the CSV download, so the three never disagree.

* open vacancies by sector (ESCO occupation's sector) and STEM;
* shortlist decisions (approved / rejected) per month;
* approved cross-border matches per month and employment service (the candidate's);
* placements (applications that reached "hired") per month and employment service;
* work and training (issue 12): near misses per STEM occupation by gap kind, the skills that
  most often close a gap per side of the border, and training routes by stage per side of the
  border and per employment service (with the completed routes that led to a placement).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from html import escape

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import EmploymentService
from applications.models import ApplicationStatus, ApplicationStatusChange
from candidates.models import ResidenceCountry
from matching.models import GapKind, Match, MatchDecision, NearMiss, NearMissSkill, ReviewStatus
from routes.models import RouteEvent, RouteStage, TrainingRoute
from taxonomy.models import Occupation, Skill
from vacancies.models import Vacancy

FIGURE_SLUGS = (
    "vacancies-by-sector",
    "decisions",
    "cross-border",
    "placements",
    "near-misses-by-occupation",
    "gap-skills",
    "routes-by-country",
    "routes-by-service",
)
TOP_GAP_SKILLS = 20

# Sector codes of the curated occupations (taxonomy/data/occupations.csv); unknown codes are
# shown as they are.
SECTOR_LABELS = {
    "port": gettext_lazy("Port operations"),
    "logistics": gettext_lazy("Logistics"),
    "office": gettext_lazy("Office and administration"),
    "engineering": gettext_lazy("Engineering"),
    "chemical": gettext_lazy("Chemical industry"),
    "electrical": gettext_lazy("Electrical"),
    "metal": gettext_lazy("Metal"),
    "ict": gettext_lazy("ICT"),
    "maintenance": gettext_lazy("Maintenance"),
    "transport": gettext_lazy("Transport"),
    "lab": gettext_lazy("Laboratory"),
    "construction": gettext_lazy("Construction"),
    "utilities": gettext_lazy("Energy and utilities"),
    "facility": gettext_lazy("Facility services"),
    "hospitality": gettext_lazy("Hospitality"),
    "security": gettext_lazy("Security"),
    "hse": gettext_lazy("Health, safety and environment"),
    "sales": gettext_lazy("Sales"),
    "": gettext_lazy("Other"),
}

# Colours with at least 3:1 contrast to white (WCAG 1.4.11), told apart by the legend as well.
PALETTE = ("#00457c", "#b35900", "#2e7d32", "#6a1b9a", "#8a1538", "#005f73")


@dataclass
class Figure:
    slug: str
    title: str
    description: str
    category_label: str
    categories: list[str]
    series: list[tuple[str, list[int]]] = field(default_factory=list)
    stacked: bool = False
    # Columns of the table and CSV after "Total" that are not part of the chart or the total
    # (e.g. distinct candidates, which overlap the series).
    extra: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(values) for _, values in self.series)

    @property
    def header(self) -> list[str]:
        return [self.category_label] + [name for name, _ in self.series] + [_("Total")] + [n for n, _ in self.extra]

    @property
    def rows(self) -> list[list]:
        out = []
        for i, category in enumerate(self.categories):
            values = [values[i] for _, values in self.series]
            out.append([category, *values, sum(values), *(extra[i] for _, extra in self.extra)])
        return out

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(self.series)]

    def svg(self) -> SafeString:
        return bar_chart_svg(self)


# --- periods ----------------------------------------------------------------------------------


def month_starts(months: int, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last ``months`` months, oldest first, this month included."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    out = []
    for _i in range(months):
        out.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _period_start(months: list[dt.date]) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))


def month_label(day: dt.date) -> str:
    return formats.date_format(day, "M Y")


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _services() -> list[EmploymentService]:
    return list(EmploymentService.objects.order_by("name"))


def _per_month_per_service(
    rows, months: list[dt.date], services: list[EmploymentService], key: str
) -> list[tuple[str, list[int]]]:
    index = {m: i for i, m in enumerate(months)}
    values = {s.code: [0] * len(months) for s in services}
    for row in rows:
        month = _month_key(row["month"])
        if month in index and row[key] in values:
            values[row[key]][index[month]] += row["n"]
    return [(s.name, values[s.code]) for s in services]


# --- the figures ------------------------------------------------------------------------------


def vacancies_by_sector() -> Figure:
    rows = (
        Vacancy.objects.open_for_matching()
        .values(sector=F("occupation__sector"))
        .annotate(stem=Count("pk", filter=Q(is_stem=True)), other=Count("pk", filter=Q(is_stem=False)))
        .order_by()
    )
    merged: dict[str, list[int]] = {}
    for row in rows:
        label = str(SECTOR_LABELS.get(row["sector"] or "", (row["sector"] or "").replace("_", " ").capitalize()))
        counts = merged.setdefault(label, [0, 0])
        counts[0] += row["stem"]
        counts[1] += row["other"]
    ordered = sorted(merged.items(), key=lambda item: (-sum(item[1]), item[0]))
    return Figure(
        slug="vacancies-by-sector",
        title=_("Open vacancies by sector"),
        description=_(
            "Published vacancies that have not expired, per sector of their occupation, STEM and "
            "other vacancies stacked."
        ),
        category_label=_("Sector"),
        categories=[label for label, _counts in ordered],
        series=[(_("STEM"), [c[0] for _l, c in ordered]), (_("Not STEM"), [c[1] for _l, c in ordered])],
        stacked=True,
    )


def decisions_per_month(*, months: int = 12, service: EmploymentService | None = None) -> Figure:
    starts = month_starts(months)
    decisions = MatchDecision.objects.filter(at__gte=_period_start(starts))
    if service is not None:
        decisions = decisions.filter(reviewer_service=service.code)
    rows = decisions.annotate(month=TruncMonth("at")).values("month", "decision").annotate(n=Count("pk")).order_by()
    index = {m: i for i, m in enumerate(starts)}
    approved, rejected = [0] * len(starts), [0] * len(starts)
    for row in rows:
        month = _month_key(row["month"])
        if month not in index:
            continue
        target = approved if row["decision"] == ReviewStatus.APPROVED else rejected
        target[index[month]] += row["n"]
    scope = service.name if service else _("all services")
    return Figure(
        slug="decisions",
        title=_("Shortlist decisions per month"),
        description=_("Matches approved and rejected by caseworkers (%(scope)s), per month.") % {"scope": scope},
        category_label=_("Month"),
        categories=[month_label(m) for m in starts],
        series=[(_("Approved"), approved), (_("Rejected"), rejected)],
        stacked=True,
    )


def cross_border_matches_per_month(*, months: int = 12) -> Figure:
    starts = month_starts(months)
    services = _services()
    rows = (
        Match.objects.approved()
        .filter(reviewed_at__gte=_period_start(starts))
        .exclude(candidate__country=F("vacancy__place__country"))
        .annotate(month=TruncMonth("reviewed_at"))
        .values("month", service=F("candidate__employment_service__code"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Figure(
        slug="cross-border",
        title=_("Approved cross-border matches per month"),
        description=_(
            "Matches approved by a caseworker where the candidate lives in another country than the "
            "job, per month and per employment service of the candidate."
        ),
        category_label=_("Month"),
        categories=[month_label(m) for m in starts],
        series=_per_month_per_service(rows, starts, services, "service"),
    )


def placements_per_month(*, months: int = 12) -> Figure:
    starts = month_starts(months)
    services = _services()
    rows = (
        ApplicationStatusChange.objects.filter(to_status=ApplicationStatus.HIRED, at__gte=_period_start(starts))
        .annotate(month=TruncMonth("at"))
        .values("month", service=F("application__candidate__employment_service__code"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Figure(
        slug="placements",
        title=_("Placements per month"),
        description=_(
            "Applications that reached the stage “hired”, per month and per employment service of the candidate."
        ),
        category_label=_("Month"),
        categories=[month_label(m) for m in starts],
        series=_per_month_per_service(rows, starts, services, "service"),
    )


# --- work and training (issue 12) ------------------------------------------------------------


def _open_vacancy_ids():
    # Near misses are replaced with every rematch; those of vacancies no longer open are stale.
    return Vacancy.objects.open_for_matching().values("pk")


def near_misses_by_occupation() -> Figure:
    near_misses = NearMiss.objects.filter(vacancy__in=_open_vacancy_ids(), vacancy__is_stem=True)
    per_kind = near_misses.values("kind", occupation=F("vacancy__occupation_id")).annotate(n=Count("pk")).order_by()
    per_occupation = near_misses.values(occupation=F("vacancy__occupation_id")).annotate(
        people=Count("candidate_id", distinct=True)
    )
    kinds = list(GapKind)
    counts: dict[int, list[int]] = {}
    for row in per_kind:
        values = counts.setdefault(row["occupation"], [0] * len(kinds))
        values[kinds.index(row["kind"])] += row["n"]
    people = {row["occupation"]: row["people"] for row in per_occupation.order_by()}
    labels = {o.pk: o.label for o in Occupation.objects.filter(pk__in=list(counts))}
    ordered = sorted(counts, key=lambda pk: (-sum(counts[pk]), labels.get(pk, "")))
    return Figure(
        slug="near-misses-by-occupation",
        title=_("Near misses per STEM occupation"),
        description=_(
            "Candidates who pass every requirement of an open STEM vacancy but one, by a gap a training can "
            "close, per occupation of the vacancy and kind of gap; the last column counts each candidate once."
        ),
        category_label=_("Occupation"),
        categories=[labels.get(pk, "") for pk in ordered],
        series=[(str(kind.label), [counts[pk][i] for pk in ordered]) for i, kind in enumerate(kinds)],
        stacked=True,
        extra=[(_("Candidates"), [people.get(pk, 0) for pk in ordered])],
    )


def _country_series(present: set[str]) -> list[ResidenceCountry]:
    """The Netherlands and Belgium always, another country only when it has a count."""
    return [c for c in ResidenceCountry if c != ResidenceCountry.OTHER or c in present]


def gap_skills_by_country(*, top: int = TOP_GAP_SKILLS) -> Figure:
    rows = list(
        NearMissSkill.objects.filter(near_miss__vacancy__in=_open_vacancy_ids())
        .values("skill_id", country=F("near_miss__candidate__country"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    countries = _country_series({row["country"] for row in rows})
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        per_country = counts.setdefault(row["skill_id"], {})
        per_country[row["country"]] = per_country.get(row["country"], 0) + row["n"]
    labels = {skill.pk: skill.label for skill in Skill.objects.filter(pk__in=list(counts))}
    ordered = sorted(counts, key=lambda pk: (-sum(counts[pk].values()), labels.get(pk, ""), pk))[:top]
    return Figure(
        slug="gap-skills",
        title=_("Skills that most often close a gap"),
        description=_(
            "The %(top)s essential skills most often missing among the near misses of open vacancies, per "
            "country where the candidate lives: where a training would be bought."
        )
        % {"top": top},
        category_label=_("Skill"),
        categories=[labels.get(pk, "") for pk in ordered],
        series=[(str(c.label), [counts[pk].get(c.value, 0) for pk in ordered]) for c in countries],
        stacked=True,
    )


ROUTE_STAGES = (
    RouteStage.PROPOSED,
    RouteStage.ACCEPTED,
    RouteStage.DECLINED,
    RouteStage.STARTED,
    RouteStage.COMPLETED,
    RouteStage.DROPPED,
)


def _route_rows(months: list[dt.date], group: str):
    """Routes proposed in the period, per ``group`` and current stage, with the completed routes
    after which the candidate was hired (an application's status reached "hired")."""
    completed_at = Coalesce(
        Subquery(
            RouteEvent.objects.filter(route=OuterRef("pk"), stage=RouteStage.COMPLETED)
            .values("route")
            .annotate(first=Min("at"))
            .values("first")[:1]
        ),
        F("updated_at"),
    )
    hired_after = ApplicationStatusChange.objects.filter(
        application__candidate_id=OuterRef("candidate_id"),
        to_status=ApplicationStatus.HIRED,
        at__gte=OuterRef("completed_at"),
    )
    return (
        TrainingRoute.objects.filter(created_at__gte=_period_start(months))
        .annotate(completed_at=completed_at)
        .annotate(placed=Exists(hired_after))
        .values("stage", group=F(group))
        .annotate(n=Count("pk"), placed_n=Count("pk", filter=Q(stage=RouteStage.COMPLETED, placed=True)))
        .order_by()
    )


def _routes_figure(slug: str, title: str, description: str, category_label: str, keys, labels, rows) -> Figure:
    index = {key: i for i, key in enumerate(keys)}
    stages = {stage: [0] * len(keys) for stage in ROUTE_STAGES}
    placed = [0] * len(keys)
    for row in rows:
        i = index[row["group"]]
        stages[row["stage"]][i] += row["n"]
        placed[i] += row["placed_n"]
    return Figure(
        slug=slug,
        title=title,
        description=description,
        category_label=category_label,
        categories=labels,
        series=[(str(stage.label), stages[stage]) for stage in ROUTE_STAGES],
        stacked=True,
        extra=[(_("Completed, then placed"), placed)],
    )


def routes_by_country(*, months: int = 12) -> Figure:
    rows = list(_route_rows(month_starts(months), "candidate__country"))
    countries = _country_series({row["group"] for row in rows})
    return _routes_figure(
        "routes-by-country",
        _("Training routes per side of the border"),
        _(
            "Training routes proposed in the period, by their stage now, per country where the candidate "
            "lives; the last column counts the completed routes after which the candidate was hired."
        ),
        _("Country"),
        [c.value for c in countries],
        [str(c.label) for c in countries],
        rows,
    )


def routes_by_service(*, months: int = 12) -> Figure:
    rows = list(_route_rows(month_starts(months), "candidate__employment_service__code"))
    services = _services()
    keys: list[str | None] = [s.code for s in services]
    labels = [s.name for s in services]
    if any(row["group"] is None for row in rows):
        keys.append(None)
        labels.append(_("No employment service"))
    return _routes_figure(
        "routes-by-service",
        _("Training routes per employment service"),
        _(
            "Training routes proposed in the period, by their stage now, per employment service of the "
            "candidate; the last column counts the completed routes after which the candidate was hired."
        ),
        _("Employment service"),
        keys,
        labels,
        rows,
    )


def figure_by_slug(slug: str, *, months: int = 12, service: EmploymentService | None = None) -> Figure:
    if slug == "vacancies-by-sector":
        return vacancies_by_sector()
    if slug == "decisions":
        return decisions_per_month(months=months, service=service)
    if slug == "cross-border":
        return cross_border_matches_per_month(months=months)
    if slug == "placements":
        return placements_per_month(months=months)
    if slug == "near-misses-by-occupation":
        return near_misses_by_occupation()
    if slug == "gap-skills":
        return gap_skills_by_country()
    if slug == "routes-by-country":
        return routes_by_country(months=months)
    if slug == "routes-by-service":
        return routes_by_service(months=months)
    raise KeyError(slug)


def all_figures(*, months: int = 12, service: EmploymentService | None = None) -> list[Figure]:
    return [figure_by_slug(slug, months=months, service=service) for slug in FIGURE_SLUGS]


# --- SVG ------------------------------------------------------------------------------------


def nice_ceiling(value: int) -> tuple[int, int]:
    """(top of the axis, step between ticks) for a maximum ``value``: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        step = max(1, int(factor * power))
        if step * 4 >= value:
            return step * math.ceil(value / step), step
    return value, max(1, value // 4)  # pragma: no cover - the loop always returns


def bar_chart_svg(figure: Figure, *, width: int = 760, height: int = 340) -> SafeString:
    """A grouped or stacked bar chart with axes, tick labels and a <title> per bar."""
    left, right, top, bottom = 48, 12, 16, 78
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(figure.categories), 1)
    totals = [sum(values[i] for _, values in figure.series) for i in range(len(figure.categories))]
    if figure.stacked:
        peak = max(totals, default=0)
    else:
        peak = max((max(values, default=0) for _, values in figure.series), default=0)
    axis_top, step = nice_ceiling(peak)

    def y(value: float) -> float:
        return top + plot_h - (value / axis_top) * plot_h

    uid = f"fig-{figure.slug}"
    total_text = _("Total: %(n)s.") % {"n": figure.total}
    no_data_text = _("No data in this period.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" focusable="false">',
        f'<title id="{uid}-title">{escape(figure.title)}</title>',
        f'<desc id="{uid}-desc">{escape(figure.description)} {escape(total_text)}</desc>',
    ]
    # Grid lines and the y axis' tick labels.
    tick = 0
    while tick <= axis_top:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{tick}</text>'
        )
        tick += step
    slot = plot_w / n
    bar_area = min(slot * 0.7, 56.0 * max(len(figure.series), 1) if not figure.stacked else 56.0)
    for i, category in enumerate(figure.categories):
        x0 = left + i * slot + (slot - bar_area) / 2
        if figure.stacked:
            base = 0
            for s, (name, values) in enumerate(figure.series):
                value = values[i]
                if value:
                    y1, y0 = y(base + value), y(base)
                    parts.append(
                        f'<rect x="{x0:.1f}" y="{y1:.1f}" width="{bar_area:.1f}" height="{y0 - y1:.1f}" '
                        f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(category)}, {escape(name)}: {value}'
                        f"</title></rect>"
                    )
                base += value
        else:
            width_each = bar_area / max(len(figure.series), 1)
            for s, (name, values) in enumerate(figure.series):
                value = values[i]
                if value:
                    y1 = y(value)
                    parts.append(
                        f'<rect x="{x0 + s * width_each:.1f}" y="{y1:.1f}" width="{width_each:.1f}" '
                        f'height="{top + plot_h - y1:.1f}" fill="{PALETTE[s % len(PALETTE)]}"><title>'
                        f"{escape(category)}, {escape(name)}: {value}</title></rect>"
                    )
        cx = left + i * slot + slot / 2
        label = category if len(category) <= 16 else category[:15] + "…"
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="12" fill="#333" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 14})">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#333" stroke-width="1"/>'
    )
    if not figure.categories or figure.total == 0:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
            f'font-size="14" fill="#333">{escape(no_data_text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text inside is escaped above

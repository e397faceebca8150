"""Reads of the training offers shared by the caseworkers' pages and the API."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import TrainingOffer, TrainingOfferLanguage, TrainingStart


def _with_lists(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("provider", "place").prefetch_related(
        "skills",
        Prefetch("language_levels", queryset=TrainingOfferLanguage.objects.order_by("language")),
        Prefetch("starts", queryset=TrainingStart.objects.order_by("starts_on")),
    )


def training_offer_list(
    *,
    q: str = "",
    skill: int | None = None,
    place: int | None = None,
    country: str = "",
    language: str = "",
    starts_after: dt.date | None = None,
    funding: str = "",
    active: bool | None = True,
) -> QuerySet[TrainingOffer]:
    """Offers matching every filter given. ``language`` is the language of instruction or one the
    training brings a participant to; ``starts_after`` keeps offers with a start on or after that day."""
    offers = TrainingOffer.objects.all()
    if active is not None:
        offers = offers.filter(is_active=active)
    q = (q or "").strip()
    if q:
        offers = offers.filter(
            Q(title_nl__icontains=q)
            | Q(title_fr__icontains=q)
            | Q(title_en__icontains=q)
            | Q(reference__iexact=q)
            | Q(provider__name__icontains=q)
        )
    if skill:
        offers = offers.filter(
            Exists(TrainingOffer.skills.through.objects.filter(trainingoffer_id=OuterRef("pk"), skill_id=skill))
        )
    if place:
        offers = offers.filter(place_id=place)
    if country:
        offers = offers.filter(place__country=country)
    if language:
        offers = offers.filter(
            Q(instruction_language=language)
            | Exists(TrainingOfferLanguage.objects.filter(offer_id=OuterRef("pk"), language=language))
        )
    if starts_after:
        offers = offers.filter(
            Exists(TrainingStart.objects.filter(offer_id=OuterRef("pk"), starts_on__gte=starts_after))
        )
    if funding:
        offers = offers.filter(funding=funding)
    return _with_lists(offers).order_by("title_en", "pk")


def training_offer_detail(*, pk: int) -> TrainingOffer:
    """One offer (active or not) with its lists; DoesNotExist for an unknown id."""
    return _with_lists(TrainingOffer.objects.all()).get(pk=pk)

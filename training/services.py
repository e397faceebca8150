"""Every write to the training offers: create, update, deactivate (audited, validated)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from audit.services import audit_record

from .models import TrainingOffer, TrainingOfferLanguage, TrainingStart

# The fields of an offer a page, the import and the admin set (the lists come separately).
OFFER_FIELDS = (
    "provider",
    "reference",
    "title_nl",
    "title_fr",
    "title_en",
    "description",
    "duration_weeks",
    "hours_total",
    "place",
    "instruction_language",
    "cost_eur",
    "funding",
    "url",
)


def _save(
    offer: TrainingOffer,
    *,
    actor: Any,
    skills: Iterable | None,
    language_levels: dict[str, int] | None,
    starts: Iterable[dt.date] | None,
    kind: str,
) -> TrainingOffer:
    offer.updated_by = actor if getattr(actor, "pk", None) else None
    offer.full_clean()
    offer.save()
    if skills is not None:
        offer.skills.set(list(skills))
    if language_levels is not None:
        offer.language_levels.all().delete()
        rows = [
            TrainingOfferLanguage(offer=offer, language=code, level=level) for code, level in language_levels.items()
        ]
        for row in rows:
            row.full_clean(exclude=["offer"])
        TrainingOfferLanguage.objects.bulk_create(rows)
    if starts is not None:
        offer.starts.all().delete()
        TrainingStart.objects.bulk_create([TrainingStart(offer=offer, starts_on=day) for day in sorted(set(starts))])
    audit_record(
        kind=kind,
        actor=actor,
        subject=("training_offer", offer.pk),
        data={"provider": offer.provider_id, "reference": offer.reference},
    )
    return offer


@transaction.atomic
def training_offer_create(
    *,
    actor: Any,
    fields: dict,
    skills: Iterable = (),
    language_levels: dict[str, int] | None = None,
    starts: Iterable[dt.date] = (),
) -> TrainingOffer:
    offer = TrainingOffer(**{name: value for name, value in fields.items() if name in OFFER_FIELDS})
    return _save(
        offer,
        actor=actor,
        skills=skills,
        language_levels=language_levels or {},
        starts=starts,
        kind="training_offer_created",
    )


@transaction.atomic
def training_offer_update(
    *,
    actor: Any,
    offer: TrainingOffer,
    fields: dict,
    skills: Iterable | None = None,
    language_levels: dict[str, int] | None = None,
    starts: Iterable[dt.date] | None = None,
) -> TrainingOffer:
    """Changes the given fields; a list left as None stays as it is."""
    for name, value in fields.items():
        if name in OFFER_FIELDS:
            setattr(offer, name, value)
    if "is_active" in fields:
        offer.is_active = bool(fields["is_active"])
    return _save(
        offer,
        actor=actor,
        skills=skills,
        language_levels=language_levels,
        starts=starts,
        kind="training_offer_updated",
    )


@transaction.atomic
def training_offer_deactivate(*, actor: Any, offer: TrainingOffer) -> TrainingOffer:
    """No longer offered: kept (routes may point at it), hidden from the lists of active offers."""
    offer.is_active = False
    offer.updated_by = actor if getattr(actor, "pk", None) else None
    offer.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit_record(kind="training_offer_deactivated", actor=actor, subject=("training_offer", offer.pk))
    return offer

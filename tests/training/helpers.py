"""Training offers for tests, over the real reference data."""

import datetime as dt

from taxonomy.models import Place, Skill
from training.models import Funding, TrainingOffer, TrainingOfferLanguage, TrainingProvider, TrainingStart

FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
TIG = "http://data.europa.eu/esco/skill/a51adea8-bf02-488a-a0d8-b0961caca5b0"
DUTCH = "http://data.europa.eu/esco/skill/cad4f44b-28a8-4448-86e5-7389e5ebf3eb"


def provider(name: str = "Testopleidingen", country: str = "NL") -> TrainingProvider:
    return TrainingProvider.objects.get_or_create(name=name, defaults={"country": country, "is_demo": True})[0]


def place(name: str) -> Place:
    return Place.objects.filter(name=name).order_by("-population").first()


def make_offer(
    *,
    reference: str = "T-1",
    title_en: str = "Forklift driver",
    skills: tuple[str, ...] = (FORKLIFT,),
    where: str = "Terneuzen",
    starts: tuple[dt.date, ...] = (dt.date(2027, 3, 1),),
    languages: dict[str, int] | None = None,
    **fields,
) -> TrainingOffer:
    values = {
        "provider": provider(),
        "reference": reference,
        "title_nl": f"{title_en} (nl)",
        "title_fr": f"{title_en} (fr)",
        "title_en": title_en,
        "duration_weeks": 1,
        "hours_total": 16,
        "place": place(where),
        "instruction_language": "nl",
        "funding": Funding.UWV_BUDGET,
        **fields,
    }
    offer = TrainingOffer.objects.create(**values)
    offer.skills.set(Skill.objects.filter(uri__in=skills))
    TrainingStart.objects.bulk_create([TrainingStart(offer=offer, starts_on=day) for day in starts])
    TrainingOfferLanguage.objects.bulk_create(
        [TrainingOfferLanguage(offer=offer, language=code, level=level) for code, level in (languages or {}).items()]
    )
    return offer

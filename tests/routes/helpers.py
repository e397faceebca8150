"""Training offers and near misses for the route tests, made directly on the models (the
training catalogue's own pages and the engine's near-miss persistence are tested elsewhere)."""

import datetime
import itertools

from django.utils import timezone

from matching.models import GapKind, NearMiss, NearMissSkill
from taxonomy.models import Skill
from tests.factories import place
from training.models import Funding, TrainingOffer, TrainingOfferLanguage, TrainingProvider, TrainingStart

_refs = itertools.count(1)


def provider(name: str = "Opleidingscentrum Zeeland (demo)") -> TrainingProvider:
    # assumption: a fictional provider for tests
    return TrainingProvider.objects.get_or_create(name=name, defaults={"country": "NL", "is_demo": True})[0]


def offer(
    *,
    skills=(),
    languages=(),
    place_name: str = "Terneuzen",
    starts_in_days: tuple[int, ...] = (30,),
    title: str = "Lassen voor de procesindustrie",
    **fields,
) -> TrainingOffer:
    fields.setdefault("funding", Funding.UWV_BUDGET)
    made = TrainingOffer.objects.create(
        provider=provider(),
        reference=f"T{next(_refs)}",
        title_nl=title,
        title_fr=f"{title} (fr)",
        title_en=f"{title} (en)",
        duration_weeks=6,
        hours_total=120,
        place=place(place_name),
        instruction_language="nl",
        **fields,
    )
    made.skills.set(skills)
    for code, level in languages:
        TrainingOfferLanguage.objects.create(offer=made, language=code, level=level)
    today = timezone.localdate()
    for days in starts_in_days:
        TrainingStart.objects.create(offer=made, starts_on=today + datetime.timedelta(days=days))
    return made


def skills(n: int) -> list[Skill]:
    # The last by URI: not among candidate_with_profile's skills (the first two).
    return list(Skill.objects.order_by("-uri")[:n])


def near_miss(*, vacancy, candidate, missing=(), score: float = 0.7, rank: int = 1, language=None) -> NearMiss:
    """A near miss as the engine's persistence stores it (the gap shape of NearMiss.gap)."""
    kind = GapKind.LANGUAGE if language else GapKind.SKILLS
    gap = {"kind": kind, "skills": [s.pk for s in missing], "language": language, "education": None}
    made = NearMiss.objects.create(
        vacancy=vacancy, candidate=candidate, score=score, rank=rank, kind=kind, gap=gap, engine_version="test"
    )
    NearMissSkill.objects.bulk_create([NearMissSkill(near_miss=made, skill=s) for s in missing])
    return made

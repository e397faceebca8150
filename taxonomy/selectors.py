"""Read access to reference data."""

from django.db.models import Q, QuerySet

from .models import Diploma, Occupation, Place, PostalCode, Skill


def place_for_be_postcode(*, postcode: str) -> Place | None:
    """The place a Belgian postcode stands for (its main locality), or None if unknown."""
    postal = (
        PostalCode.objects.filter(country="BE", code=postcode, place__isnull=False)
        .select_related("place")
        .order_by("locality")
        .first()
    )
    return postal.place if postal else None


def be_postcode_exists(*, postcode: str) -> bool:
    return PostalCode.objects.filter(country="BE", code=postcode).exists()


def diplomas_for_country(*, country: str) -> QuerySet[Diploma]:
    return Diploma.objects.for_country(country)


def skill_search(*, query: str, limit: int = 20) -> QuerySet[Skill]:
    return Skill.objects.filter(
        Q(label_nl__icontains=query) | Q(label_en__icontains=query) | Q(label_fr__icontains=query)
    )[:limit]


def occupation_search(*, query: str, limit: int = 20) -> QuerySet[Occupation]:
    return Occupation.objects.select_related("isco_group").filter(
        Q(label_nl__icontains=query)
        | Q(label_en__icontains=query)
        | Q(label_fr__icontains=query)
        | Q(isco_group__code__startswith=query)
    )[:limit]


def travel_times_from(*, origin: Place, destination: Place, modes: list[str] | None = None) -> QuerySet:
    """Travel estimates from ``origin`` to ``destination`` for the given modes (all if None)."""
    from .models import TravelTime

    qs = TravelTime.objects.filter(origin=origin, destination=destination)
    return qs.filter(mode__in=modes) if modes else qs

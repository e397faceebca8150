"""The profile steps: one form per step, each saved through candidates.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentService
from accounts.validators import normalise_be_postcode, normalise_nl_postcode
from core.pdf import PDF_MAX_BYTES
from taxonomy.models import (
    CefrLevel,
    Diploma,
    DiplomaCountry,
    Language,
    Occupation,
    Place,
    Skill,
    StudyField,
    TravelMode,
)
from taxonomy.selectors import be_postcode_exists, place_for_be_postcode
from taxonomy.widgets import OccupationAutocomplete, OccupationMultipleAutocomplete

from .cv_text import cv_text
from .models import DrivingLicence, ResidenceCountry, WorkCountry
from .selectors import skill_suggestions
from .services import CV_MAX_BYTES, cv_validate, home_errors

# The youngest age a jobseeker can give as a year of birth (school-leavers start at 15 or 16).
MINIMUM_AGE = 15


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return obj.name if obj.name == obj.municipality else f"{obj.name} ({obj.municipality})"


def grouped_place_choices(places, empty_label: str) -> list:
    """Places grouped by country (Middelburg and Westkapelle exist on both sides)."""
    groups: dict[str, list] = {}
    for place in places:
        label = place.name if place.name == place.municipality else f"{place.name} ({place.municipality})"
        groups.setdefault(place.get_country_display(), []).append((place.pk, label))
    return [("", empty_label)] + [(str(country), options) for country, options in groups.items()]


class HomeForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=ResidenceCountry.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the country where you live.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
        help_text=_(
            "Belgium: your postcode is enough, we find your municipality (e.g. 9060). "
            "Netherlands: we only check its format (e.g. 4531 AB); choose your place below."
        ),
    )
    home_place = PlaceChoiceField(
        label=_("Place where you live"),
        required=False,
        queryset=Place.objects.order_by("country", "name"),
        help_text=_("The town or village you live in, or the nearest one in the list."),
    )
    employment_service = forms.ModelChoiceField(
        label=_("Employment service you are registered with"),
        required=False,
        queryset=EmploymentService.objects.order_by("name"),
        empty_label=_("I don't know (UWV in the Netherlands, VDAB in Flanders)"),
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth (optional)"),
        required=False,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-year", "inputmode": "numeric"}),
        help_text=_(
            "Optional. It is never used for matching: no score or shortlist depends on it. We use it "
            "only in the anonymous report that checks whether the matching treats age groups fairly. "
            "You may leave it empty or remove it at any time."
        ),
    )

    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_(
            "A Dutch or Belgian number, e.g. 06 12345678 or 0470 12 34 56. Only an employer you applied to "
            "sees it, once your application is in."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["home_place"]
        field.choices = grouped_place_choices(field.queryset, str(_("Choose your place")))

    def clean_year_of_birth(self) -> int | None:
        year = self.cleaned_data.get("year_of_birth")
        latest = timezone.localdate().year - MINIMUM_AGE
        if year is not None and not 1900 <= year <= latest:
            raise ValidationError(
                _("Give a year between %(first)s and %(last)s, or leave it empty."),
                params={"first": 1900, "last": latest},
            )
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        country = cleaned.get("country")
        postcode = (cleaned.get("postcode") or "").strip()
        place = cleaned.get("home_place")
        if not country:
            return cleaned
        if country == "NL":
            if postcode:
                try:
                    cleaned["postcode"] = normalise_nl_postcode(postcode)
                except ValidationError as exc:
                    self.add_error("postcode", exc)
            if place is None:
                self.add_error("home_place", _("Choose the place where you live."))
        elif country == "BE":
            if postcode:
                try:
                    postcode = cleaned["postcode"] = normalise_be_postcode(postcode)
                except ValidationError as exc:
                    self.add_error("postcode", exc)
                    return cleaned
                if place is None:
                    place = place_for_be_postcode(postcode=postcode)
                    if place is not None:
                        cleaned["home_place"] = place
                    elif be_postcode_exists(postcode=postcode):
                        self.add_error(
                            "home_place",
                            _("Your municipality lies outside our region's list of places. Choose the nearest place."),
                        )
                    else:
                        self.add_error(
                            "postcode",
                            _("We do not know the Belgian postcode %(postcode)s. Please check it.")
                            % {"postcode": postcode},
                        )
            elif place is None:
                self.add_error("postcode", _("Give your postcode, or choose your place from the list."))
        for field, message in home_errors(country=country, home_place=cleaned.get("home_place")).items():
            self.add_error(field, message)
        return cleaned


class DiplomaSelect(forms.Select):
    """Options carry the diploma's country and levels, for the small script that filters them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        diploma = getattr(value, "instance", None)
        if diploma is not None:
            option["attrs"].update(
                {
                    "data-country": diploma.country,
                    "data-eqf": diploma.eqf_level,
                    "data-framework": diploma.framework,
                    "data-level": diploma.framework_level,
                    "data-minsec": "1" if diploma.is_minimum_secondary else "0",
                }
            )
        return option


class DiplomaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Diploma) -> str:
        if obj.country == DiplomaCountry.OTHER:
            return obj.label
        return f"{obj.label} (EQF {obj.eqf_level} · {obj.framework} {obj.framework_level})"


class DiplomaForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country of the diploma"),
        choices=[("", "—")] + list(DiplomaCountry.choices),
        required=False,
        widget=forms.Select(attrs={"data-diploma-country": ""}),
    )
    diploma = DiplomaChoiceField(
        label=_("Diploma"),
        required=False,
        widget=DiplomaSelect(attrs={"data-diploma": ""}),
        queryset=Diploma.objects.order_by("country", "sort_order"),
        help_text=_(
            "A diploma from another country: choose “Other country” and the EQF level of its recognition (Nuffic, NARIC)."
        ),
    )
    field = forms.ModelChoiceField(
        label=_("Field of study"),
        required=False,
        queryset=StudyField.objects.order_by("code"),
        empty_label=_("Not applicable / general education"),
    )
    year = forms.IntegerField(label=_("Year obtained"), required=False, min_value=1950, max_value=2100)

    def __init__(self, *args, filter_by_country: bool = False, **kwargs):
        """``filter_by_country``: only the chosen country's diplomas, for the page sent without
        JavaScript ("show the diplomas" button); with JavaScript the script filters in place."""
        super().__init__(*args, **kwargs)
        field = self.fields["diploma"]
        groups: dict[str, list] = {}
        labels = dict(DiplomaCountry.choices)
        only = self.data.get(self.add_prefix("country")) if filter_by_country else None
        for choice_value, label in field.choices:
            diploma = getattr(choice_value, "instance", None)
            if diploma is None or (only in labels and diploma.country != only):
                continue
            groups.setdefault(str(labels[diploma.country]), []).append((choice_value, label))
        field.choices = [("", _("Choose a diploma"))] + list(groups.items())

    def clean(self) -> dict:
        cleaned = super().clean()
        diploma, country = cleaned.get("diploma"), cleaned.get("country")
        if diploma is None and (cleaned.get("field") or cleaned.get("year")):
            self.add_error("diploma", _("Choose the diploma itself too."))
        if diploma is not None and country and diploma.country != country:
            self.add_error("diploma", _("This diploma is not from the country you chose."))
        return cleaned


class BaseDiplomaFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [
            form.cleaned_data["diploma"]
            for form in self.forms
            if form.cleaned_data.get("diploma") and not form.cleaned_data.get("DELETE")
        ]
        if not chosen:
            raise ValidationError(
                _("Choose at least one diploma. No diploma yet? Choose the highest school level you finished."),
                code="no_diploma",
            )

    def rows(self) -> list[tuple]:
        return [
            (form.cleaned_data["diploma"], form.cleaned_data.get("field"), form.cleaned_data.get("year"))
            for form in self.forms
            if form.cleaned_data.get("diploma") and not form.cleaned_data.get("DELETE")
        ]


DiplomaFormSet = forms.formset_factory(DiplomaForm, formset=BaseDiplomaFormSet, extra=1, max_num=6, can_delete=True)


def find_by_label(model, text: str):
    """The object whose label (in any language) is ``text``; else the few that contain it."""
    text = text.strip()
    exact = model.objects.filter(Q(label_nl__iexact=text) | Q(label_en__iexact=text) | Q(label_fr__iexact=text))
    found = list(exact[:2])
    if len(found) == 1:
        return found[0], []
    if found:
        return None, found
    contains = list(
        model.objects.filter(Q(label_nl__icontains=text) | Q(label_en__icontains=text) | Q(label_fr__icontains=text))[
            :11
        ]
    )
    if len(contains) == 1:
        return contains[0], []
    return None, contains


class SkillsForm(forms.Form):
    """Desired occupations and skills. Skills: tick the ones shown, or type to add (autocomplete with JS)."""

    desired_occupations = forms.ModelMultipleChoiceField(
        label=_("Occupations you are looking for"),
        required=False,
        queryset=Occupation.objects.all(),
        help_text=_("Type a few letters in any language and pick one or more from the list."),
        widget=OccupationMultipleAutocomplete,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Your skills"),
        required=False,
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a skill to remove it. Skills typical of the occupations you chose are suggested."),
    )
    add_skills = forms.CharField(
        label=_("Add skills"),
        required=False,
        max_length=500,
        help_text=_(
            "Type a few letters in any language and pick one or more from the list; separate several with a semicolon (;)."
        ),
        widget=forms.TextInput(attrs={"list": "skill-options", "autocomplete": "off", "data-autocomplete": ""}),
    )

    def __init__(self, *args, shown_skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_skills = list(shown_skills)
        self._set_skill_choices()

    def _set_skill_choices(self) -> None:
        seen, choices = set(), []
        for skill in self.shown_skills:
            if skill.pk not in seen:
                seen.add(skill.pk)
                choices.append((skill.pk, skill.label))
        # Validation uses the whole queryset; only these are rendered as checkboxes.
        self.fields["skills"].widget.choices = choices

    def clean(self) -> dict:
        """Known terms are added; the others get suggestions to tick, not a refusal of the step.

        ``unresolved`` holds one message per term not recognised; ``offered`` the skills shown
        for them (the view saves what was recognised and shows the step again with both).
        """
        cleaned = super().clean()
        skills = list(cleaned.get("skills") or [])
        added: list[Skill] = []
        self.unresolved: list[str] = []
        self.offered: list[Skill] = []
        for text in [t.strip() for t in (cleaned.get("add_skills") or "").replace(",", ";").split(";") if t.strip()]:
            skill, matches = find_by_label(Skill, text)
            if skill is not None:
                added.append(skill)
            elif matches:
                self.offered.extend(matches[:10])
                self.unresolved.append(
                    _("Several skills match “%(text)s”: tick the ones you mean in the list above.") % {"text": text}
                )
            elif suggestions := skill_suggestions(text=text):
                self.offered.extend(suggestions)
                self.unresolved.append(
                    _(
                        "We do not know the skill “%(text)s”. Perhaps you mean one of the skills now in the list above: tick the ones you mean."
                    )
                    % {"text": text}
                )
            else:
                self.unresolved.append(
                    _("We do not know the skill “%(text)s”. Try a shorter or another word.") % {"text": text}
                )
        all_skills = {skill.pk: skill for skill in skills + added}
        if not all_skills and not self.unresolved:
            self.add_error("add_skills", _("Add at least one skill: it is what we match vacancies on."))
        cleaned["all_skills"] = list(all_skills.values())
        return cleaned


LEVEL_CHOICES = [("", _("No knowledge"))] + [(str(value), label) for value, label in CefrLevel.choices]


class LanguagesForm(forms.Form):
    """A CEFR level (A1–C2) for each language the portal's vacancies ask."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Language.choices:
            self.fields[f"level_{code}"] = forms.TypedChoiceField(
                label=label,
                choices=LEVEL_CHOICES,
                required=False,
                coerce=int,
                empty_value=None,
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not any(cleaned.get(f"level_{code}") for code, _label in Language.choices):
            raise ValidationError(_("Give your level in at least one language."), code="no_language")
        return cleaned

    def rows(self) -> list[tuple[str, int]]:
        return [
            (code, self.cleaned_data[f"level_{code}"])
            for code, _label in Language.choices
            if self.cleaned_data.get(f"level_{code}")
        ]


class CommuteForm(forms.Form):
    modes = forms.MultipleChoiceField(
        label=_("How can you travel to work?"),
        choices=TravelMode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way to travel to work.")},
    )
    max_commute_minutes = forms.IntegerField(
        label=_("Longest one-way trip you accept (minutes)"),
        min_value=5,
        max_value=180,
        help_text=_(
            "Between 5 and 180 minutes. Vlissingen–Terneuzen by car through the tunnel takes about 35 minutes."
        ),
        error_messages={"required": _("Tell us how many minutes you are willing to travel.")},
    )

    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licences (optional)"),
        required=False,
        choices=DrivingLicence.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The categories on your European driving licence, e.g. B for a car, CE for a lorry with trailer."),
    )

    def profile_fields(self) -> dict:
        modes = set(self.cleaned_data["modes"])
        return {
            "driving_licences": self.cleaned_data.get("driving_licences") or [],
            "commute_by_car": "car" in modes,
            "commute_by_bike": "bike" in modes,
            "commute_by_public_transport": "public_transport" in modes,
            "max_commute_minutes": self.cleaned_data["max_commute_minutes"],
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class AvailabilityForm(forms.Form):
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        help_text=_("Leave empty if you can start right away."),
    )
    hours_wanted = forms.IntegerField(
        label=_("Hours per week you want to work"),
        min_value=1,
        max_value=60,
        error_messages={"required": _("Tell us how many hours per week you want to work.")},
    )
    accepts_shift_work = forms.BooleanField(
        label=_("I am willing to work in shifts (e.g. early, late and night shifts)"),
        required=False,
    )


class ConsentForm(forms.Form):
    consent_matching = forms.BooleanField(
        label=_("Yes, match me to vacancies."),
        required=False,
        help_text=_(
            "The portal compares your profile with vacancies. A caseworker checks each proposal; "
            "an employer sees your profile only after you say yes to that employer."
        ),
    )
    consent_cross_border = forms.BooleanField(
        label=_("Yes, the employment services on both sides of the border may see my profile."),
        required=False,
        help_text=_(
            "Then VDAB (Flanders) as well as UWV and WSP Zeeuws-Vlaanderen (the Netherlands) can propose you "
            "for jobs across the border. Without it, only your own employment service sees you."
        ),
    )
    consent_findable = forms.BooleanField(
        label=_("Yes, verified employers may find me and invite me to apply."),
        required=False,
        help_text=_(
            "They see a card without your name or contact details: your home town, skills, diploma level "
            "and experience. They see your full profile only after you accept their invitation."
        ),
    )


class CvUploadForm(forms.Form):
    """A PDF CV, read for suggestions only: the file and its text are never stored."""

    cv = forms.FileField(
        label=_("Your CV (PDF)"),
        help_text=_("A PDF file of at most 5 MB and 20 pages, with text (not a scan)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf", "data-max-bytes": PDF_MAX_BYTES}),
        error_messages={"required": _("Choose your CV as a PDF file.")},
    )

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        self.cv_text = cv_text(cv)  # a ValidationError in the user's language when it cannot be read
        return cv


class CvSuggestionsAcceptForm(forms.Form):
    """What the jobseeker ticked among the suggestions; only these are added to the profile."""

    skills = forms.ModelMultipleChoiceField(queryset=Skill.objects.all(), required=False)
    desired_occupations = forms.ModelMultipleChoiceField(queryset=Occupation.objects.all(), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("skills") and not cleaned.get("desired_occupations"):
            raise ValidationError(
                _("You ticked nothing, so nothing was added. Tick the suggestions that fit you."), code="nothing_ticked"
            )
        return cleaned


class MonthInput(forms.DateInput):
    """``<input type="month">``: month precision is enough for a job's start and end."""

    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


MONTH_FORMATS = ["%Y-%m", "%m-%Y", "%m/%Y", "%Y-%m-%d"]


class ExperienceForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.all(),
        widget=OccupationAutocomplete,
        help_text=_("Choose the occupation from the European ESCO list that fits the job best."),
        error_messages={"required": _("Choose the occupation of this job.")},
    )
    employer_name = forms.CharField(
        label=_("Employer"),
        max_length=200,
        error_messages={"required": _("Write the name of the employer.")},
    )
    country = forms.ChoiceField(label=_("Country"), choices=WorkCountry.choices, initial=WorkCountry.NETHERLANDS)
    started_on = forms.DateField(
        label=_("From (month)"),
        widget=MonthInput,
        input_formats=MONTH_FORMATS,
        help_text=_("For example 2019-03."),
        error_messages={"required": _("Choose the month you started."), "invalid": _("Write a month as 2019-03.")},
    )
    ended_on = forms.DateField(
        label=_("To (month)"),
        required=False,
        widget=MonthInput,
        input_formats=MONTH_FORMATS,
        help_text=_("Leave empty if you still work there."),
        error_messages={"invalid": _("Write a month as 2019-03.")},
    )
    description = forms.CharField(
        label=_("What you did (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProfileCvForm(forms.Form):
    """The CV kept on the profile and offered when applying."""

    cv = forms.FileField(
        label=_("CV"),
        help_text=_("A PDF file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf", "data-max-bytes": CV_MAX_BYTES}),
        error_messages={"required": _("Choose a PDF file.")},
    )

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        cv_validate(cv)
        return cv

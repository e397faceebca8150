"""The jobseeker's profile: an overview with its completeness, and one page per step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import jobseeker_required
from taxonomy.models import Diploma, DiplomaCountry, Language
from taxonomy.suggestion_rows import suggestion_rows

from . import services
from .forms import (
    AvailabilityForm,
    CommuteForm,
    ConsentForm,
    CvSuggestionsAcceptForm,
    CvUploadForm,
    DiplomaFormSet,
    ExperienceForm,
    HomeForm,
    LanguagesForm,
    ProfileCvForm,
    SkillsForm,
)
from .models import Candidate, ConsentKind
from .selectors import (
    PROFILE_STEPS,
    candidate_completeness,
    candidate_for_user,
    experience_for_user,
    skill_autocomplete,
    skills_suggested_for,
)

STEP_SLUGS = [slug for slug, _title in PROFILE_STEPS]


def _next_url(step: str) -> str:
    index = STEP_SLUGS.index(step)
    if index + 1 < len(STEP_SLUGS):
        return reverse("candidates:step", kwargs={"step": STEP_SLUGS[index + 1]})
    return reverse("candidates:profile")


def _add_errors(form, exc: ValidationError) -> None:
    """Errors from a service land on the form's fields where they exist, else on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@jobseeker_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    candidate = candidate_for_user(user=request.user)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "completeness": candidate_completeness(candidate=candidate),
            "steps": PROFILE_STEPS,
        },
    )


@jobseeker_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_SLUGS:
        raise Http404
    candidate = candidate_for_user(user=request.user)
    if candidate is None and step != "home":
        messages.info(request, _("Start with where you live: that creates your profile."))
        return redirect("candidates:step", step="home")
    _remember_return_to(request)
    handler = STEP_HANDLERS[step]
    result = handler(request, candidate)
    if isinstance(result, HttpResponse):
        return result
    index = STEP_SLUGS.index(step)
    context = {
        "candidate": candidate,
        "step": step,
        "step_title": dict(PROFILE_STEPS)[step],
        "step_number": index + 1,
        "steps": PROFILE_STEPS,
        "step_count": len(PROFILE_STEPS),
        "completeness": candidate_completeness(candidate=candidate),
        "previous_step": STEP_SLUGS[index - 1] if index else None,
        **result,
    }
    return render(request, f"candidates/candidate_step_{step}.html", context)


RETURN_TO_SESSION_KEY = "profile_return_to"


def _remember_return_to(request: HttpRequest) -> None:
    """A page that sent the jobseeker here (an application) to return to after the last step; own site only."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[RETURN_TO_SESSION_KEY] = target


def _after_last_step(request: HttpRequest) -> str:
    return request.session.pop(RETURN_TO_SESSION_KEY, None) or reverse("candidates:profile")


def _saved(request: HttpRequest, step: str) -> HttpResponse:
    messages.success(request, _("Saved."))
    return redirect(_next_url(step))


def _step_home(request: HttpRequest, candidate: Candidate | None):
    initial = {"country": "NL"}
    if candidate is not None:
        initial = {
            "country": candidate.country,
            "postcode": candidate.postcode,
            "home_place": candidate.home_place_id,
            "employment_service": candidate.employment_service_id,
            "year_of_birth": candidate.year_of_birth,
            "phone": candidate.phone_display,
        }
    form = HomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "country": data["country"],
            "postcode": data["postcode"],
            "home_place": data["home_place"],
            "year_of_birth": data.get("year_of_birth"),
            "phone": data.get("phone", ""),
        }
        service = data["employment_service"] or services.default_employment_service(country=data["country"])
        fields["employment_service"] = service
        try:
            if candidate is None:
                services.candidate_create(user=request.user, **fields)
            else:
                services.candidate_update(candidate=candidate, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _saved(request, "home")
    return {"form": form}


def _step_diplomas(request: HttpRequest, candidate: Candidate):
    initial = [
        {"country": row.diploma.country, "diploma": row.diploma_id, "field": row.field_id, "year": row.year}
        for row in candidate.diplomas.all()
    ]
    # Without JavaScript, "show the diplomas" sends the form to narrow each row to its country; nothing is saved.
    filtering = request.method == "POST" and "show_diplomas" in request.POST
    formset = DiplomaFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="diploma",
        form_kwargs={"filter_by_country": filtering},
    )
    if request.method == "POST" and not filtering and formset.is_valid():
        try:
            services.candidate_set_diplomas(candidate=candidate, diplomas=formset.rows())
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            return _saved(request, "diplomas")
    diplomas = Diploma.objects.order_by("country", "sort_order")
    return {
        "formset": formset,
        "diplomas": diplomas,
        "diploma_countries": DiplomaCountry.choices,
        "filtering": filtering,
    }


def _step_skills(request: HttpRequest, candidate: Candidate):
    current = list(candidate.skills.all())
    suggested = list(skills_suggested_for(candidate=candidate))
    initial = {
        "desired_occupations": [o.pk for o in candidate.desired_occupations.all()],
        "skills": [s.pk for s in current],
    }
    form = SkillsForm(
        request.POST if request.method == "POST" else None, initial=initial, shown_skills=current + suggested
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["all_skills"]
        services.candidate_set_skills(
            candidate=candidate,
            skills=chosen or current,  # nothing recognised yet: the profile keeps its skills
            desired_occupations=form.cleaned_data["desired_occupations"],
        )
        form_unresolved = form.unresolved
        if not form_unresolved:
            return _saved(request, "skills")
        # What was recognised is saved; the step comes again with suggestions to tick for the rest
        # (the typed terms leave the box, so sending it again does not ask the same question).
        data = request.POST.copy()
        data.setlist("skills", [str(skill.pk) for skill in chosen])
        data["add_skills"] = ""
        form = SkillsForm(data, shown_skills=chosen + suggested + form.offered)
        return {
            "form": form,
            "unresolved": form_unresolved,
            "suggested_ids": {s.pk for s in suggested} - {s.pk for s in chosen},
        }
    return {"form": form, "suggested_ids": {s.pk for s in suggested} - {s.pk for s in current}}


def _step_languages(request: HttpRequest, candidate: Candidate):
    initial = {f"level_{row.language}": row.level for row in candidate.languages.all()}
    form = LanguagesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.candidate_set_languages(candidate=candidate, languages=form.rows())
        return _saved(request, "languages")
    return {"form": form, "languages": Language.choices}


def _step_commute(request: HttpRequest, candidate: Candidate):
    initial = {
        "modes": candidate.commute_modes,
        "max_commute_minutes": candidate.max_commute_minutes,
        "driving_licences": candidate.driving_licences,
    }
    form = CommuteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(candidate=candidate, **form.profile_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _saved(request, "commute")
    return {"form": form}


def _step_availability(request: HttpRequest, candidate: Candidate):
    initial = {
        "available_from": candidate.available_from,
        "hours_wanted": candidate.hours_wanted,
        "accepts_shift_work": candidate.accepts_shift_work,
    }
    form = AvailabilityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _saved(request, "availability")
    return {"form": form}


def _step_consent(request: HttpRequest, candidate: Candidate):
    initial = {
        "consent_matching": candidate.has_matching_consent,
        "consent_cross_border": candidate.has_cross_border_consent,
        "consent_findable": candidate.has_findable_consent,
    }
    form = ConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.candidate_set_consent(
            candidate=candidate, kind=ConsentKind.MATCHING, given=form.cleaned_data["consent_matching"]
        )
        services.candidate_set_consent(
            candidate=candidate, kind=ConsentKind.CROSS_BORDER, given=form.cleaned_data["consent_cross_border"]
        )
        services.candidate_set_consent(
            candidate=candidate, kind=ConsentKind.FINDABLE, given=form.cleaned_data["consent_findable"]
        )
        messages.success(request, _("Your choices are saved. You can change them here at any time."))
        return redirect(_after_last_step(request))
    return {"form": form, "events": candidate.consent_events.all()[:10]}


STEP_HANDLERS = {
    "home": _step_home,
    "diplomas": _step_diplomas,
    "skills": _step_skills,
    "languages": _step_languages,
    "commute": _step_commute,
    "availability": _step_availability,
    "consent": _step_consent,
}


@jobseeker_required
@require_GET
def skills_json(request: HttpRequest) -> JsonResponse:
    """Autocomplete for the skills step: ESCO skills in the user's language."""
    return JsonResponse({"results": skill_autocomplete(query=request.GET.get("q", "")[:100])})


# How many suggestions the CV page shows (a CV names more skills than a vacancy title).
CV_SUGGESTED_OCCUPATIONS = 5
CV_SUGGESTED_SKILLS = 20


@jobseeker_required
@require_http_methods(["GET", "POST"])
def cv_suggestions(request: HttpRequest) -> HttpResponse:
    """Fill my profile from my CV: upload a PDF, see suggestions, add only the ticked ones.

    The file and its text live only in this request (privacy): neither is saved, logged nor
    put in the page; the accept form carries only the ids of the suggested occupations and skills.
    """
    candidate = candidate_for_user(user=request.user)
    if candidate is None:
        messages.info(request, _("Start with where you live: that creates your profile."))
        return redirect("candidates:step", step="home")
    action = request.POST.get("action", "read") if request.method == "POST" else None
    if action == "add":
        accept = CvSuggestionsAcceptForm(request.POST)
        if accept.is_valid():
            services.candidate_add_skills(
                candidate=candidate,
                skills=accept.cleaned_data["skills"],
                desired_occupations=accept.cleaned_data["desired_occupations"],
            )
            messages.success(request, _("The ticked suggestions are added to your profile."))
            return redirect("candidates:profile")
        for message in accept.non_field_errors() or [_("Those suggestions are no longer available.")]:
            messages.error(request, message)
        return redirect("candidates:cv_suggestions")
    form = CvUploadForm(request.POST, request.FILES) if action == "read" else CvUploadForm()
    suggestions = None
    if action == "read" and form.is_valid():
        suggestions = suggestion_rows(
            title="",
            text=form.cv_text,
            occupations=CV_SUGGESTED_OCCUPATIONS,
            skills=CV_SUGGESTED_SKILLS,
            known_occupations=candidate.desired_occupations.values_list("pk", flat=True),
            known_skills=candidate.skills.values_list("pk", flat=True),
        )
    return render(
        request,
        "candidates/candidate_cv_suggestions.html",
        {"candidate": candidate, "form": form, "suggestions": suggestions},
    )


# --- work experience: add, change and delete from the profile page --------------------------------


def _profile_or_start(request: HttpRequest) -> Candidate | None:
    candidate = candidate_for_user(user=request.user)
    if candidate is None:
        messages.info(request, _("Start with where you live: that creates your profile."))
    return candidate


def _experience_fields(form: ExperienceForm) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.EXPERIENCE_FIELDS}


@jobseeker_required
@require_http_methods(["GET", "POST"])
def experience_add(request: HttpRequest) -> HttpResponse:
    candidate = _profile_or_start(request)
    if candidate is None:
        return redirect("candidates:step", step="home")
    form = ExperienceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.experience_create(candidate=candidate, **_experience_fields(form))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The job is added to your profile."))
            return redirect(reverse("candidates:profile") + "#experience")
    return render(request, "candidates/experience_form.html", {"form": form, "experience": None})


@jobseeker_required
@require_http_methods(["GET", "POST"])
def experience_edit(request: HttpRequest, pk: int) -> HttpResponse:
    experience = experience_for_user(user=request.user, pk=pk)  # another's: 404
    initial = {name: getattr(experience, name) for name in services.EXPERIENCE_FIELDS}
    initial["occupation"] = experience.occupation_id
    form = ExperienceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.experience_update(experience=experience, user=request.user, **_experience_fields(form))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("candidates:profile") + "#experience")
    return render(request, "candidates/experience_form.html", {"form": form, "experience": experience})


@jobseeker_required
@require_POST
def experience_delete(request: HttpRequest, pk: int) -> HttpResponse:
    experience = experience_for_user(user=request.user, pk=pk)  # another's: 404
    services.experience_delete(experience=experience, user=request.user)
    messages.success(request, _("The job is removed from your profile."))
    return redirect(reverse("candidates:profile") + "#experience")


# --- the profile's CV ----------------------------------------------------------------------------------


@jobseeker_required
@require_http_methods(["GET", "POST"])
def profile_cv(request: HttpRequest) -> HttpResponse:
    """Upload (or replace, or remove) the CV kept on the profile; the worker checks it."""
    candidate = _profile_or_start(request)
    if candidate is None:
        return redirect("candidates:step", step="home")
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.candidate_delete_cv(candidate=candidate)
        messages.success(request, _("Your CV is removed from your profile."))
        return redirect("candidates:profile_cv")
    form = ProfileCvForm(request.POST, request.FILES) if request.method == "POST" else ProfileCvForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_set_cv(candidate=candidate, cv=form.cleaned_data["cv"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your CV is saved. We check it for safety; this takes a moment."))
            return redirect("candidates:profile_cv")
    candidate.refresh_from_db(fields=["cv", "cv_check", "cv_check_reason"])
    return render(request, "candidates/candidate_cv.html", {"candidate": candidate, "form": form})

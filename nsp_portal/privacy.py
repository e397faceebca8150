"""The data rights of a user across the apps: download all my data, and erase my account.

This module sits at the top of the layering (it reads and writes every app), so no app has
to know about the others. Erasing keeps the decisions for the figures, anonymously: the user
row and the profile stay as empty shells (so Match/MatchDecision/Application rows keep
their foreign keys), every personal field is blanked.
"""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.login_records import login_records_erase, login_records_of
from accounts.models import OutgoingEmail, User
from alerts.models import SavedSearch, SentAlert
from applications.models import Application
from applications.services import applications_erase_for_candidate
from backups.models import ErasureKind
from backups.services import erasure_record
from candidates.models import Candidate, CandidateDiploma, CandidateLanguage, ConsentEvent, Experience
from candidates.signals import candidate_changed
from conversations.models import InterviewProposal, Message
from conversations.services import conversations_erase_for_candidate
from matching.models import Match, MatchDecision, ReviewRequest
from talent.models import CandidateInvitation


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything the portal stores about ``user``, as JSON-ready data (GDPR art. 15 and 20)."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "preferred_language": user.preferred_language,
            "language": user.language,  # the language chosen with the switcher ("" until then)
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "employer": str(user.employer) if user.employer_id else None,
            "employment_service": str(user.employment_service) if user.employment_service_id else None,
        },
        # The portal's mails to the user (the outbox keeps sent ones for EMAIL_OUTBOX_KEEP_DAYS).
        "emails": [
            {"subject": e.subject, "created_at": _iso(e.created_at), "sent_at": _iso(e.sent_at)}
            for e in OutgoingEmail.objects.filter(user=user).order_by("created_at")
        ],
        # The login throttle's records of the address (kept LOGIN_RECORDS_KEEP_DAYS).
        "login_records": [{**row, "at": _iso(row["at"])} for row in login_records_of(email=user.email)],
    }
    # Job alerts: the saved searches and the vacancies each has sent.
    data["saved_searches"] = [
        {
            "name": s.name,
            "search": s.query,
            "frequency": s.frequency,
            "language": s.language,
            "active": s.is_active,
            "created_at": _iso(s.created_at),
            "last_sent_at": _iso(s.last_sent_at),
            "kind": s.kind,
            "vacancies_sent": [
                {"vacancy": a.vacancy.title, "sent_at": _iso(a.sent_at)} for a in s.sent.all() if a.vacancy_id
            ],
            # A caseworker's candidate search: how many were sent, not who (their data, not the caseworker's).
            "candidates_sent": sum(1 for a in s.sent.all() if a.candidate_id),
        }
        for s in SavedSearch.objects.filter(owner=user).prefetch_related("sent__vacancy").order_by("created_at")
    ]
    candidate = Candidate.objects.with_details().prefetch_related("consent_events").filter(user=user).first()
    if candidate is None:
        return data
    data["profile"] = {
        "country": candidate.country,
        "home_place": candidate.home_place.name if candidate.home_place_id else None,
        "postcode": candidate.postcode,
        "registered_with": str(candidate.employment_service) if candidate.employment_service_id else None,
        "year_of_birth": candidate.year_of_birth,
        "diplomas": [
            {
                "diploma": row.diploma.label_en,
                "code": row.diploma.code,
                "country": row.diploma.country,
                "eqf_level": row.diploma.eqf_level,
                "field_of_study": row.field.label_en if row.field else None,
                "year": row.year,
            }
            for row in candidate.diplomas.all()
        ],
        "languages": [
            {"language": row.language, "level": row.get_level_display()} for row in candidate.languages.all()
        ],
        "skills": [{"uri": skill.uri, "label": skill.label_en} for skill in candidate.skills.all()],
        "desired_occupations": [{"uri": o.uri, "label": o.label_en} for o in candidate.desired_occupations.all()],
        "commute": {
            "car": candidate.commute_by_car,
            "bike": candidate.commute_by_bike,
            "public_transport": candidate.commute_by_public_transport,
            "max_minutes": candidate.max_commute_minutes,
        },
        "available_from": _iso(candidate.available_from),
        "hours_wanted": candidate.hours_wanted,
        "accepts_shift_work": candidate.accepts_shift_work,
        "consent_matching_at": _iso(candidate.consent_matching_at),
        "consent_cross_border_at": _iso(candidate.consent_cross_border_at),
        "consent_findable_at": _iso(candidate.consent_findable_at),
        "consent_history": [
            {"kind": e.kind, "given": e.given, "at": _iso(e.at)} for e in candidate.consent_events.all()
        ],
        "phone": candidate.phone,
        "driving_licences": list(candidate.driving_licences),
        "has_profile_cv": bool(candidate.cv),
        "profile_cv_check": candidate.cv_check if candidate.cv else None,
        "experience": [
            {
                "occupation": {"uri": job.occupation.uri, "label": job.occupation.label_en},
                "employer_name": job.employer_name,
                "country": job.country,
                "from": job.started_on.strftime("%Y-%m"),
                "to": job.ended_on.strftime("%Y-%m") if job.ended_on else None,
                "description": job.description,
            }
            for job in candidate.experiences.all()
        ],
        "created_at": _iso(candidate.created_at),
        "updated_at": _iso(candidate.updated_at),
    }
    applications = (
        Application.objects.of_candidate(candidate.pk)
        .select_related("vacancy__employer", "vacancy__place")
        .prefetch_related("history")
        .order_by("created_at")
    )
    data["applications"] = [
        {
            "vacancy": a.vacancy.title,
            "employer": a.vacancy.employer.legal_name,
            "place": a.vacancy.place.name,
            "status": a.status,
            "motivation": a.motivation,
            "has_cv": bool(a.cv),
            "created_at": _iso(a.created_at),
            "history": [{"from": h.from_status, "to": h.to_status, "at": _iso(h.at)} for h in a.history.all()],
        }
        for a in applications
    ]
    # Invitations to apply from employers who found the profile (talent/).
    data["invitations"] = [
        {
            "vacancy": i.vacancy.title,
            "employer": i.employer.legal_name,
            "message": i.message,
            "status": i.status,
            "created_at": _iso(i.created_at),
            "responded_at": _iso(i.responded_at),
        }
        for i in CandidateInvitation.objects.filter(candidate=candidate)
        .select_related("vacancy", "employer")
        .order_by("created_at")
    ]
    # Messages and interviews (conversations): the threads of the person's applications.
    data["messages"] = [
        {
            "vacancy": m.application.vacancy.title,
            "from": m.sender_side,
            "body": m.body,
            "created_at": _iso(m.created_at),
            "read_at": _iso(m.read_at),
        }
        for m in Message.objects.filter(application__candidate=candidate)
        .select_related("application__vacancy")
        .order_by("created_at", "id")
    ]
    data["interviews"] = [
        {
            "vacancy": p.application.vacancy.title,
            "status": p.status,
            "contact_person": p.contact_person,
            "contact_phone": p.contact_phone,
            "note": p.note,
            "your_answer": p.response_note,
            "slots": [
                {
                    "starts_at": _iso(slot.starts_at),
                    "duration_minutes": slot.duration_minutes,
                    "location": slot.location,
                    "video_url": slot.video_url,
                    "chosen": slot.pk == p.chosen_slot_id,
                }
                for slot in p.slots.all()
            ],
            "created_at": _iso(p.created_at),
        }
        for p in InterviewProposal.objects.filter(application__candidate=candidate)
        .select_related("application__vacancy")
        .prefetch_related("slots")
        .order_by("created_at", "id")
    ]
    matches = Match.objects.filter(candidate=candidate).select_related("vacancy__employer").order_by("created_at")
    data["matches"] = [
        {
            "vacancy": m.vacancy.title,
            "employer": m.vacancy.employer.legal_name,
            "score": m.score,
            "factors": m.factors,
            "explanation": m.explanation,
            "review_status": m.review_status,
            "your_response": m.candidate_response,
            "responded_at": _iso(m.responded_at),
            "created_at": _iso(m.created_at),
        }
        for m in matches
    ]
    data["review_requests"] = [
        {
            "about": r.kind,
            "vacancy": r.vacancy.title if r.vacancy else None,
            "filter_reason": r.filter_reason,
            "your_request": r.text,
            "status": r.status,
            "answer": r.answer,
            "created_at": _iso(r.created_at),
            "answered_at": _iso(r.answered_at),
        }
        for r in ReviewRequest.objects.filter(candidate=candidate).select_related("vacancy").order_by("created_at")
    ]
    data["training_routes"] = _training_routes_export(candidate)
    return data


def _training_routes_export(candidate: Candidate) -> list[dict[str, Any]]:
    """The trainings proposed to the person (routes/), with every step."""
    from routes.models import TrainingRoute

    routes = (
        TrainingRoute.objects.filter(candidate=candidate)
        .select_related("offer__provider", "vacancy", "start")
        .prefetch_related("events")
        .order_by("created_at", "pk")
    )
    return [
        {
            "training": r.offer.title_en,
            "provider": r.offer.provider.name,
            "vacancy": r.vacancy.title if r.vacancy else None,
            "origin": r.origin,
            "gap": r.gap,
            "travel_minutes": r.travel_minutes,
            "starts_on": _iso(r.start.starts_on) if r.start else None,
            "stage": r.stage,
            "note": r.note,
            "skills_confirmed_at": _iso(r.skills_confirmed_at),
            "created_at": _iso(r.created_at),
            "steps": [{"stage": e.stage, "note": e.note, "at": _iso(e.at)} for e in r.events.all()],
        }
        for r in routes
    ]


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase a jobseeker's personal data; keep anonymous decisions and stages for the figures."""
    user = User.objects.select_for_update().get(pk=user.pk)
    candidate = Candidate.objects.select_for_update().filter(user=user).first()
    # Mails to others about the person (an employer told "<name> applied") are keyed by the event.
    about_keys: list[str] = []
    if candidate is not None:
        about_keys += [f"application-received:{pk}:" for pk in candidate.applications.values_list("pk", flat=True)]
        about_keys += [
            f"candidate-accepted:{pk}:" for pk in Match.objects.filter(candidate=candidate).values_list("pk", flat=True)
        ]
        # Mails about the person's threads and interviews (to the employer too): key conversation:<application>:.
        about_keys += [f"conversation:{pk}:" for pk in candidate.applications.values_list("pk", flat=True)]
        conversations_erase_for_candidate(candidate=candidate)
        applications_erase_for_candidate(candidate=candidate)
        CandidateDiploma.objects.filter(candidate=candidate).delete()
        CandidateLanguage.objects.filter(candidate=candidate).delete()
        ConsentEvent.objects.filter(candidate=candidate).delete()
        Experience.objects.filter(candidate=candidate).delete()
        if candidate.cv:
            candidate.cv.delete(save=False)
        candidate.skills.clear()
        candidate.desired_occupations.clear()
        # Country and employment service stay (coarse, for the figures per service).
        Candidate.objects.filter(pk=candidate.pk).update(
            home_place=None,
            postcode="",
            commute_by_car=False,
            commute_by_bike=False,
            commute_by_public_transport=False,
            max_commute_minutes=None,
            available_from=None,
            hours_wanted=None,
            accepts_shift_work=False,
            year_of_birth=None,
            phone="",
            driving_licences=[],
            cv="",
            cv_check="passed",
            cv_check_reason="",
            cv_check_requested_at=None,
            consent_matching_at=None,
            consent_cross_border_at=None,
            consent_findable_at=None,
            updated_at=timezone.now(),
        )
        # Decisions stay for the figures; free texts and explanations may name the person or their home.
        Match.objects.filter(candidate=candidate).update(note="", explanation=[], flag_reasons=[], added_reason="")
        MatchDecision.objects.filter(match__candidate=candidate).update(note="")
        # Training routes keep their stages for the figures; the caseworkers' notes may name the person.
        _training_routes_erase(candidate)
        # Requests for human review are the person's own words and the answers to them.
        ReviewRequest.objects.filter(candidate=candidate).delete()
        # Invitations to apply (and the employer's message to the person).
        CandidateInvitation.objects.filter(candidate=candidate).delete()
        # Caseworkers' candidate search digests that counted the person.
        SentAlert.objects.filter(candidate=candidate).delete()
        candidate_changed.send(sender=Candidate, candidate_id=candidate.pk)
    # Saved searches (and, with them, which vacancies were sent for each: SentAlert cascades).
    SavedSearch.objects.filter(owner=user).delete()
    # Mails name the person and their matches: sent or not, they go with the account.
    about_person = Q(user=user) | Q(to__iexact=user.email)
    for prefix in about_keys:
        about_person |= Q(key__startswith=prefix)
    OutgoingEmail.objects.filter(about_person).delete()
    # The login throttle recorded the address with every attempt and login.
    login_records_erase(email=user.email)
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.password = make_password(None)
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    # The ledger (ids, kind, time only) lets a restored backup erase the person again (backups/).
    erasure_record(
        kind=_erasure_kind(user=user, candidate=candidate),
        user_id=user.pk,
        candidate_id=candidate.pk if candidate is not None else None,
    )


def _training_routes_erase(candidate: Candidate) -> None:
    from routes.models import RouteEvent, TrainingRoute

    TrainingRoute.objects.filter(candidate=candidate).update(note="")
    RouteEvent.objects.filter(route__candidate=candidate).update(note="")


def _erasure_kind(*, user: User, candidate: Candidate | None) -> str:
    if candidate is not None:
        return ErasureKind.JOBSEEKER_ACCOUNT
    return ErasureKind.EMPLOYER_ACCOUNT if user.employer_id else ErasureKind.OTHER_ACCOUNT


def account_erase_again(*, user_id: int, candidate_id: int | None = None) -> None:
    """A restore re-applies a ledger entry (settings.BACKUP_ERASURE_APPLIERS); an account already gone is fine."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        account_erase(user=user)

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from taxonomy.models import Skill
from tests.factories import CaseworkerFactory
from training import selectors, services
from training.models import Funding, TrainingOffer

from .helpers import DUTCH, FORKLIFT, TIG, make_offer, place, provider

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    return {
        "provider": provider(),
        "reference": "NEW-1",
        "title_nl": "Lassen",
        "title_fr": "Soudage",
        "title_en": "Welding",
        "duration_weeks": 10,
        "hours_total": 300,
        "place": place("Gent"),
        "instruction_language": "nl",
        "funding": Funding.FREE_VDAB,
        **overrides,
    }


def test_create_saves_the_lists_and_audits():
    actor = CaseworkerFactory()
    tig = Skill.objects.get(uri=TIG)
    offer = services.training_offer_create(
        actor=actor,
        fields=_fields(),
        skills=[tig],
        language_levels={"nl": 3},
        starts=[dt.date(2027, 5, 1), dt.date(2027, 1, 1), dt.date(2027, 1, 1)],
    )
    assert list(offer.skills.all()) == [tig]
    assert [(r.language, r.level) for r in offer.language_levels.all()] == [("nl", 3)]
    assert [s.starts_on for s in offer.starts.all()] == [dt.date(2027, 1, 1), dt.date(2027, 5, 1)]
    assert offer.updated_by == actor
    event = AuditEvent.objects.get(kind="training_offer_created")
    assert (event.subject_type, event.subject_id) == ("training_offer", offer.pk)


def test_create_refuses_invalid_fields_and_saves_nothing():
    with pytest.raises(ValidationError) as error:
        services.training_offer_create(actor=None, fields=_fields(funding="gratis", title_en=""))
    assert {"funding", "title_en"} <= set(error.value.message_dict)
    assert not TrainingOffer.objects.exists()


def test_update_replaces_only_the_lists_given():
    offer = make_offer(languages={"fr": 2})
    services.training_offer_update(actor=None, offer=offer, fields={"hours_total": 20}, starts=[dt.date(2027, 9, 1)])
    offer.refresh_from_db()
    assert offer.hours_total == 20
    assert [s.starts_on for s in offer.starts.all()] == [dt.date(2027, 9, 1)]
    assert [(r.language, r.level) for r in offer.language_levels.all()] == [("fr", 2)]  # untouched
    assert AuditEvent.objects.filter(kind="training_offer_updated", subject_id=offer.pk).exists()


def test_deactivate_hides_from_the_active_list():
    offer = make_offer()
    services.training_offer_deactivate(actor=None, offer=offer)
    assert not TrainingOffer.objects.get(pk=offer.pk).is_active
    assert offer not in selectors.training_offer_list()
    assert offer in selectors.training_offer_list(active=None)
    assert AuditEvent.objects.filter(kind="training_offer_deactivated", subject_id=offer.pk).exists()


def test_list_filters():
    forklift = make_offer(reference="F", title_en="Forklift driver", where="Terneuzen", starts=(dt.date(2027, 1, 5),))
    dutch = make_offer(
        reference="D",
        title_en="Dutch at work",
        title_fr="Néerlandais au travail",
        skills=(DUTCH,),
        where="Gent",
        starts=(dt.date(2027, 9, 1),),
        languages={"nl": 3},
        instruction_language="fr",
        funding=Funding.FREE_VDAB,
    )
    skill = Skill.objects.get(uri=FORKLIFT)
    assert list(selectors.training_offer_list(q="néerlandais")) == [dutch]
    assert list(selectors.training_offer_list(skill=skill.pk)) == [forklift]
    assert list(selectors.training_offer_list(place=place("Gent").pk)) == [dutch]
    assert list(selectors.training_offer_list(country="NL")) == [forklift]
    assert list(selectors.training_offer_list(language="fr")) == [dutch]  # language of instruction
    assert list(selectors.training_offer_list(language="nl")) == [dutch, forklift]  # taught / instruction
    assert list(selectors.training_offer_list(starts_after=dt.date(2027, 6, 1))) == [dutch]
    assert list(selectors.training_offer_list(funding=Funding.UWV_BUDGET)) == [forklift]
    assert selectors.training_offer_detail(pk=dutch.pk) == dutch

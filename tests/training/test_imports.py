import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from training.imports import MAX_BYTES, ImportFileError, import_training_offers
from training.models import TrainingOffer, TrainingProvider

from .helpers import FORKLIFT

pytestmark = pytest.mark.django_db

HEADER = (
    "provider,provider_country,reference,title_nl,title_fr,title_en,skills,languages,starts,"
    "duration_weeks,hours_total,place,instruction_language,cost_eur,funding"
)
GOOD = (
    f"Havenschool,NL,HEF-1,Heftruck,Cariste,Forklift,{FORKLIFT}|stack goods,nl:B1,2027-01-12|2027-03-09,"
    "1,16,Vlissingen,nl,450.00,uwv_budget"
)
GOOD_BY_POSTCODE = (
    "Havenschool,NL,HEF-2,Heftruck 2,Cariste 2,Forklift 2,heftruck besturen,,2027-02-01,1,16,9060,nl,,employer"
)
BAD = "Havenschool,NL,BAD-1,Slecht,Mauvais,Bad,no such skill,xx:Z9,1 maart,0,16,Atlantis,nl,abc,gratis"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_good_rows_are_saved_and_a_bad_row_saves_nothing():
    report = import_training_offers(_csv(GOOD, BAD, GOOD_BY_POSTCODE))
    assert [(r.row, r.reference, r.outcome) for r in report.rows] == [
        (2, "HEF-1", "created"),
        (3, "BAD-1", "error"),
        (4, "HEF-2", "created"),
    ]
    errors = " ".join(report.rows[1].errors)
    for part in ("no such skill", "xx:Z9", "1 maart", "Atlantis", "gratis", "duration_weeks", "cost_eur"):
        assert part in errors
    assert set(TrainingOffer.objects.values_list("reference", flat=True)) == {"HEF-1", "HEF-2"}
    offer = TrainingOffer.objects.get(reference="HEF-1")
    assert offer.place.name == "Vlissingen"
    assert sorted(offer.skills.values_list("label_en", flat=True)) == ["operate forklift", "stack goods"]
    assert [(r.language, r.level) for r in offer.language_levels.all()] == [("nl", 3)]
    assert [s.starts_on for s in offer.starts.all()] == [dt.date(2027, 1, 12), dt.date(2027, 3, 9)]
    assert TrainingOffer.objects.get(reference="HEF-2").place.name == "Zelzate"  # Belgian postcode
    assert TrainingProvider.objects.count() == 1


def test_messages_are_in_the_users_language():
    from django.utils import translation

    with translation.override("nl"):
        report = import_training_offers(_csv(BAD))
    assert "onbekende plaats Atlantis" in " ".join(report.rows[0].errors)


def test_a_bad_row_of_a_new_provider_leaves_no_provider():
    import_training_offers(_csv(BAD.replace("Havenschool", "Nieuwe school")))
    assert not TrainingProvider.objects.filter(name="Nieuwe school").exists()


def test_reimport_updates_by_provider_and_reference():
    import_training_offers(_csv(GOOD))
    report = import_training_offers(_csv(GOOD.replace("1,16,Vlissingen", "2,32,Vlissingen")))
    assert [r.outcome for r in report.rows] == ["updated"]
    offer = TrainingOffer.objects.get()
    assert (offer.duration_weeks, offer.hours_total) == (2, 32)


def test_semicolons_and_a_byte_order_mark_are_read():
    content = b"\xef\xbb\xbf" + _csv(GOOD.replace(",", ";"), header=HEADER.replace(",", ";"))
    assert [r.outcome for r in import_training_offers(content).rows] == ["created"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe" + "a,b".encode("utf-16-le"), "not UTF-8"),
        (b"", "empty"),
        (b"provider,reference\nX,Y\n", "Columns missing"),
        (b"just one header without separators", "not a CSV file"),
        (b"x" * (MAX_BYTES + 1), "larger than"),
        (_csv('Havenschool,NL,"unterminated'), "not valid CSV"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(content, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFileError, match=message):
        import_training_offers(content)


def test_command_reports_each_row_and_fails_on_a_bad_row(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(_csv(GOOD, BAD))
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_training_offers", str(path))
    out = capsys.readouterr().out
    assert "row 2 HEF-1: created" in out
    assert "row 3 BAD-1: error" in out
    assert TrainingOffer.objects.filter(reference="HEF-1").exists()


def test_seed_loads_the_demo_offers_once():
    call_command("seed_training_offers")
    count = TrainingOffer.objects.count()
    assert count >= 15
    call_command("seed_training_offers")  # again: updates, never duplicates
    assert TrainingOffer.objects.count() == count
    assert not TrainingProvider.objects.filter(is_demo=False).exists()
    assert set(TrainingProvider.objects.values_list("source", flat=True)) == {
        "assumption: demo data (fictional provider and offer)"
    }
    assert set(TrainingOffer.objects.values_list("place__country", flat=True)) == {"NL", "BE"}
    assert not TrainingOffer.objects.filter(skills__isnull=True).exists()
    assert not TrainingOffer.objects.exclude(starts__starts_on__year=2027).exists()

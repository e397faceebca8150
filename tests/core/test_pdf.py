"""The worker's check of a stored PDF (core.pdf.pdf_inspect): each hostile file is refused with
its reason, a good one passes and comes back as a sanitised copy that still reads."""

import io
import time
import zlib

import pikepdf
import pytest
from pypdf import PdfReader

from core.pdf import PdfRejected, _inflated_size, pdf_inspect, pdf_rejection_message
from tests.pdf_helpers import (
    WELDER_CV,
    bomb_pdf,
    embedded_file_pdf,
    encrypted_pdf,
    javascript_pdf,
    launch_pdf,
    many_pages_pdf,
    text_pdf,
    zip_appended_pdf,
)

LIMITS = {"max_pages": 50, "max_decompressed_bytes": 50 * 1024 * 1024, "max_seconds": 20.0}


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(PdfRejected) as caught:
        pdf_inspect(data, **{**LIMITS, **limits})
    return caught.value.code


def test_a_good_pdf_passes_and_its_sanitised_copy_keeps_the_text():
    clean = pdf_inspect(text_pdf(WELDER_CV, pages=2), **LIMITS)
    reader = PdfReader(io.BytesIO(clean))
    assert len(reader.pages) == 2
    assert "Ervaring als lasser" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (javascript_pdf, "pdf_javascript"),
        (launch_pdf, "pdf_actions"),
        (embedded_file_pdf, "pdf_embedded_files"),
        (zip_appended_pdf, "pdf_appended_data"),
        (bomb_pdf, "pdf_too_big_inside"),
        (many_pages_pdf, "pdf_too_many_pages"),
        (lambda: encrypted_pdf(WELDER_CV), "pdf_encrypted"),
        (lambda: b"%PDF-1.7\n" + b"garbage " * 500, "pdf_damaged"),
    ],
    ids=[
        "javascript-openaction",
        "launch-aa",
        "embedded-file",
        "zip-appended",
        "bomb",
        "20000-pages",
        "password",
        "damaged",
    ],
)
def test_each_hostile_pdf_is_refused_with_its_reason(build, code):
    assert refusal(build()) == code


def test_the_hostile_files_are_small_on_disk():
    # What makes them hostile is inside: the upload's 5 MB cap does not stop them.
    assert len(bomb_pdf()) < 200_000
    assert len(many_pages_pdf()) < 200_000


def test_a_page_tree_that_lies_about_its_count_is_counted():
    lying = many_pages_pdf().replace(b"/Count 20000", b"/Count 1    ")
    assert refusal(lying) == "pdf_too_many_pages"


def test_a_bomb_is_not_inflated_past_the_budget():
    compressed = zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)
    started = time.monotonic()
    counted = _inflated_size(compressed, 1024 * 1024)
    assert 1024 * 1024 < counted <= 1024 * 1024 + 64 * 1024  # stopped one chunk past the budget
    assert time.monotonic() - started < 1.0


def test_the_decompressed_size_counts_all_streams_together():
    # Each stream is small; together they pass a 10 MB budget.
    assert refusal(bomb_pdf(16 * 1024 * 1024), max_decompressed_bytes=10 * 1024 * 1024) == "pdf_too_big_inside"
    pdf_inspect(bomb_pdf(8 * 1024 * 1024), **{**LIMITS, "max_decompressed_bytes": 10 * 1024 * 1024})


def test_an_open_action_that_only_goes_to_a_page_is_allowed():
    with pikepdf.open(io.BytesIO(text_pdf(WELDER_CV))) as pdf:
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
        out = io.BytesIO()
        pdf.save(out)
    assert pdf_inspect(out.getvalue(), **LIMITS)


def test_whitespace_after_the_last_eof_is_tolerated_and_more_is_not():
    assert pdf_inspect(text_pdf(WELDER_CV) + b"\r\n\x00\x00 \n", **LIMITS)
    assert refusal(text_pdf(WELDER_CV) + b"x" * 33) == "pdf_appended_data"


def test_an_incremental_update_is_accepted_and_flattened():
    # A legitimate second revision (a signed or edited PDF); the copy keeps only the last one.
    original = text_pdf(WELDER_CV)
    with pikepdf.open(io.BytesIO(original)) as pdf:
        pdf.docinfo["/Title"] = "CV"
        update = io.BytesIO()
        pdf.save(update)
    revised = pdf_inspect(update.getvalue(), **LIMITS)
    assert PdfReader(io.BytesIO(revised)).metadata.title == "CV"


def test_the_time_limit_refuses_a_slow_check():
    assert refusal(text_pdf(WELDER_CV), max_seconds=-1) == "pdf_too_slow"


def test_every_reason_has_a_translated_message():
    from django.utils import translation

    with translation.override("nl"):
        dutch = pdf_rejection_message("cv_javascript", max_pages=50)
        pages = pdf_rejection_message("cv_too_many_pages", max_pages=50)
    with translation.override("en"):
        english = pdf_rejection_message("cv_javascript", max_pages=50)
    assert "JavaScript" in dutch
    assert dutch != english
    assert "50" in pages


def test_the_cv_page_text_reader_refuses_thousands_of_pages_and_a_bomb_quickly():
    # The "fill my profile from my CV" page reads in the request: qpdf looks before pypdf walks.
    from django.core.exceptions import ValidationError

    from core.pdf import pdf_text

    for content, code in ((many_pages_pdf(), "pdf_too_many_pages"), (bomb_pdf(), "pdf_too_big_inside")):
        started = time.monotonic()
        with pytest.raises(ValidationError) as caught:
            pdf_text(io.BytesIO(content))
        assert caught.value.code == code
        assert time.monotonic() - started < 2.0

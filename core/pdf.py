"""Uploaded PDFs (CVs), distrusted: checked by their content and read within limits.

In ``core`` because the application form (which stores the CV) and the jobseeker's "fill my
profile from my CV" page (which stores nothing, only reads the text) both need the same checks,
and ``candidates`` may not import ``applications``.

The checks: at most ``PDF_MAX_BYTES``, the ``%PDF-`` header, a parse of the structure with pypdf
(non-strict), no password, at most ``PDF_MAX_PAGES`` pages for text extraction, and a time cap
checked between pages (pypdf cannot be interrupted inside a page, so the page cap and the cap on
extracted characters bound the work of one page too).
"""

import logging
import time
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_MAX_PAGES = 20
PDF_MAX_SECONDS = 5.0
PDF_MAX_CHARS = 100_000

PDF_TOO_LARGE = _("Your CV is larger than 5 MB. Please upload a smaller PDF.")
PDF_NOT_PDF = _("Your CV is not a PDF file. Please save it as PDF and upload it again.")
PDF_DAMAGED = _("We cannot read this PDF file; it may be damaged. Please save it again as PDF.")
PDF_ENCRYPTED = _("This PDF is protected with a password. Please save it without a password and upload it again.")
PDF_TOO_MANY_PAGES = _("Your CV has more than %(pages)d pages. Please upload a shorter PDF.")
PDF_TOO_SLOW = _("Reading this PDF takes too long. Please save it again as PDF, or upload a shorter one.")
PDF_NO_TEXT = _(
    "We found no text in this PDF; a scanned CV is only an image. Please upload a PDF saved from your word processor."
)

# pypdf raises more than its own errors on hostile files; all of them mean "cannot read".
_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError, AssertionError)


def _reader(upload: IO[bytes]):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            # An empty user password is common (print restrictions only): such files still read.
            raise ValidationError(PDF_ENCRYPTED, code="pdf_encrypted")
        if len(reader.pages) < 1:
            raise ValidationError(PDF_DAMAGED, code="pdf_damaged")
    except ValidationError:
        raise
    except (PyPdfError, NotImplementedError, *_PARSE_ERRORS) as exc:
        logger.info("PDF refused, it does not parse: %s", exc)
        if "crypt" in str(exc).lower():
            raise ValidationError(PDF_ENCRYPTED, code="pdf_encrypted") from exc
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged") from exc
    return reader


def _check_header(upload: IO[bytes], size: int | None) -> None:
    if size is not None and size > PDF_MAX_BYTES:
        raise ValidationError(PDF_TOO_LARGE, code="pdf_too_large")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.startswith(PDF_MAGIC):
        raise ValidationError(PDF_NOT_PDF, code="pdf_not_pdf")


def pdf_validate(upload: IO[bytes], *, size: int | None = None) -> None:
    """A real PDF of at most 5 MB that pypdf can open; ValidationError (translated, with a code) otherwise."""
    size = getattr(upload, "size", None) if size is None else size
    _check_header(upload, size)
    try:
        _reader(upload)
    finally:
        upload.seek(0)


def pdf_text(
    upload: IO[bytes],
    *,
    max_pages: int = PDF_MAX_PAGES,
    max_seconds: float = PDF_MAX_SECONDS,
    max_chars: int = PDF_MAX_CHARS,
) -> str:
    """The text of an uploaded PDF, after the checks of ``pdf_validate``; nothing is written anywhere."""
    _check_header(upload, getattr(upload, "size", None))
    try:
        reader = _reader(upload)
        if len(reader.pages) > max_pages:
            raise ValidationError(PDF_TOO_MANY_PAGES % {"pages": max_pages}, code="pdf_too_many_pages")
        started = time.monotonic()
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            if time.monotonic() - started > max_seconds:
                raise ValidationError(PDF_TOO_SLOW, code="pdf_too_slow")
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= max_chars:
                break
    except ValidationError:
        raise
    except Exception as exc:
        # Text extraction walks content streams pypdf did not need for the structure check;
        # a hostile file may fail there in any way: it is an unreadable PDF, not a server error.
        logger.info("PDF text extraction failed: %s", exc)
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged") from exc
    finally:
        upload.seek(0)
    text = "\n".join(parts)[:max_chars]
    if not text.strip():
        raise ValidationError(PDF_NO_TEXT, code="pdf_no_text")
    return text

"""Uploaded PDFs (CVs), distrusted: checked by their content and read within limits.

In ``core`` because the application form (which stores the CV) and the jobseeker's "fill my
profile from my CV" page (which stores nothing, only reads the text) both need the same checks,
and ``candidates`` may not import ``applications``.

Two depths. A request storing a CV does only the cheap checks (``pdf_check_upload``: size,
``%PDF-`` header, content type); the worker then runs ``pdf_inspect`` on the stored file (qpdf via
pikepdf: scripts, actions, attachments, appended data, pages, decompressed size, time) and keeps
its sanitised copy. The CV page's text extraction (``pdf_text``, nothing stored) runs
``pdf_inspect`` without the copy first, then pypdf with its page, time and character caps (pypdf
cannot be interrupted inside a page, so the page cap and the cap on extracted characters bound
the work of one page too).
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
PDF_TEXT_MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024

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


def pdf_text(
    upload: IO[bytes],
    *,
    max_pages: int = PDF_MAX_PAGES,
    max_seconds: float = PDF_MAX_SECONDS,
    max_chars: int = PDF_MAX_CHARS,
) -> str:
    """The text of an uploaded PDF (after the header check, ``pdf_inspect`` without the copy and a
    pypdf parse); nothing is written anywhere."""
    _check_header(upload, getattr(upload, "size", None))
    # qpdf counts the pages and bounds the streams before pypdf walks them: pypdf flattens the
    # whole page tree (seconds for thousands of pages) and inflates a content stream in full.
    try:
        pdf_inspect(
            upload.read(),
            max_pages=max_pages,
            max_decompressed_bytes=PDF_TEXT_MAX_DECOMPRESSED_BYTES,
            max_seconds=max_seconds,
            rewrite=False,
        )
    except PdfRejected as exc:
        raise ValidationError(pdf_rejection_message(exc.code, max_pages=max_pages), code=exc.code) from exc
    finally:
        upload.seek(0)
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


# --- the worker's check of a stored CV (pikepdf) ---------------------------------------------------
#
# The request keeps only the cheap checks (``pdf_check_upload``: size, ``%PDF-`` header, content
# type): parsing a hostile PDF took 11-25 s of a web worker. The rest runs in a Celery worker
# (``applications.tasks.cv_check``) on the stored file: ``pdf_inspect`` refuses what a CV has no
# business carrying and returns a sanitised copy written by qpdf, which keeps only the objects the
# document reaches (data hidden between incremental updates, unreferenced objects and old
# revisions are dropped).

PDF_CONTENT_TYPES = frozenset(
    {"application/pdf", "application/x-pdf", "application/acrobat", "application/octet-stream", ""}
)
PDF_EOF_TOLERANCE = 32  # bytes other than whitespace/NUL after the last %%EOF that some writers leave

PDF_JAVASCRIPT = _("Your CV contains JavaScript. Please save it again as a plain PDF and upload that one.")
PDF_ACTIONS = _(
    "Your CV contains actions that run when it is opened. Please save it again as a plain PDF and upload that one."
)
PDF_EMBEDDED_FILES = _("Your CV contains attached files. Please upload a PDF without attachments.")
PDF_APPENDED_DATA = _("Your CV has other data appended after the PDF. Please save it again as PDF and upload that one.")
PDF_TOO_BIG_INSIDE = _("Your CV unpacks to far more data than a CV holds. Please save it again as PDF.")

PDF_REJECTION_MESSAGES = {
    "pdf_not_pdf": PDF_NOT_PDF,
    "pdf_damaged": PDF_DAMAGED,
    "pdf_encrypted": PDF_ENCRYPTED,
    "pdf_too_many_pages": PDF_TOO_MANY_PAGES,
    "pdf_too_slow": PDF_TOO_SLOW,
    "pdf_javascript": PDF_JAVASCRIPT,
    "pdf_actions": PDF_ACTIONS,
    "pdf_embedded_files": PDF_EMBEDDED_FILES,
    "pdf_appended_data": PDF_APPENDED_DATA,
    "pdf_too_big_inside": PDF_TOO_BIG_INSIDE,
}


class PdfRejected(Exception):
    """The stored PDF is refused; ``code`` is a key of ``PDF_REJECTION_MESSAGES``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


def pdf_rejection_message(code: str, *, max_pages: int) -> str:
    """The translated message of a rejection code (``pdf_*`` or ``cv_*``)."""
    message = PDF_REJECTION_MESSAGES.get(code.replace("cv_", "pdf_", 1), PDF_DAMAGED)
    return str(message) % {"pages": max_pages} if "%(pages)" in str(message) else str(message)


def pdf_check_upload(upload: IO[bytes], *, size: int | None = None) -> None:
    """The cheap checks a request may do: at most ``PDF_MAX_BYTES``, the ``%PDF-`` header, a PDF
    content type (or none). The file is not parsed here."""
    size = getattr(upload, "size", None) if size is None else size
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in PDF_CONTENT_TYPES:
        raise ValidationError(PDF_NOT_PDF, code="pdf_not_pdf")
    _check_header(upload, size)


# Keys whose presence alone means code or actions that run in the reader.
_ACTION_KEYS = {"/AA": "pdf_actions"}
_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_ACTION_TYPES = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_actions",
    "/ImportData": "pdf_actions",
    "/SubmitForm": "pdf_actions",
    "/GoToE": "pdf_actions",
    "/RichMediaExecute": "pdf_actions",
}
# Filters that may expand their input by more than ASCII's factor, and their worst-case ratio.
_EXPANDING = {"/LZWDecode": 2800, "/LZW": 2800, "/RunLengthDecode": 128, "/RL": 128}
_INFLATE_CHUNK = 64 * 1024


def _appended_bytes(data: bytes) -> int:
    """How many meaningful bytes follow the last %%EOF (whitespace and NULs do not count)."""
    end = data.rfind(b"%%EOF")
    return len(data[end + 5 :].strip(b" \t\r\n\f\x00"))


def _inflated_size(raw: bytes, budget: int) -> int:
    """Bytes a Flate stream inflates to, counted in chunks; stops once past ``budget``."""
    import zlib

    inflater = zlib.decompressobj()
    total = 0
    pending = raw
    try:
        while pending and total <= budget:
            total += len(inflater.decompress(pending, _INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # a damaged stream: what came out counts, the reader shows the rest as damaged
    return total


def _filters(stream) -> list[str]:
    import pikepdf

    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(item) for item in value]
    return [str(value)]


def _decoded_size(stream, budget: int) -> int:
    """An upper bound of the stream's decoded size without decoding more than ``budget`` bytes.

    Flate is inflated in chunks (a bomb stops at the budget); ASCII filters shrink; image codecs
    (DCT, JPX, CCITT, JBIG2) are not decoded (pixels for the viewer: their stored size counts);
    LZW and RunLength count at their worst-case ratio.
    """
    import base64

    data = stream.read_raw_bytes()
    size = len(data)
    for name in _filters(stream):
        if name in ("/ASCIIHexDecode", "/AHx"):
            text = bytes(ch for ch in data if ch not in b" \t\r\n\f\x00").split(b">")[0]
            data = bytes.fromhex((text + b"0" * (len(text) % 2)).decode("ascii", "replace"))
            size = len(data)
        elif name in ("/ASCII85Decode", "/A85"):
            text = bytes(ch for ch in data if ch not in b" \t\r\n\f\x00").split(b"~>")[0]
            data = base64.a85decode(text)
            size = len(data)
        elif name in ("/FlateDecode", "/Fl"):
            return _inflated_size(data, budget)  # a filter after Flate is an image codec or ASCII
        elif name in _EXPANDING:
            return size * _EXPANDING[name]
        else:
            return size
    return size


def _walk(value, found: set[str], deadline: float, depth: int = 0) -> None:
    """Look for scripts, actions and attachments in one object and its direct children."""
    import pikepdf

    if depth > 64:
        raise PdfRejected("pdf_damaged", "nested too deep")
    if time.monotonic() > deadline:  # one object may hold a huge array: the clock is checked inside too
        raise PdfRejected("pdf_too_slow")
    if isinstance(value, pikepdf.Array):
        for item in value:
            if not getattr(item, "is_indirect", True):
                _walk(item, found, deadline, depth + 1)
        return
    if not isinstance(value, (pikepdf.Dictionary, pikepdf.Stream)):
        return
    keys = set(value.keys())
    if keys & _SCRIPT_KEYS:
        found.add("pdf_javascript")
    for key in keys & set(_ACTION_KEYS):
        found.add(_ACTION_KEYS[key])
    # The name tree of attachments, a file specification carrying a file (/EF), an attachment annotation.
    if keys & {"/EmbeddedFiles", "/EF"} or str(value.get("/Subtype", "")) == "/FileAttachment":
        found.add("pdf_embedded_files")
    if str(value.get("/Type", "")) == "/EmbeddedFile":
        found.add("pdf_embedded_files")
    action = str(value.get("/S", ""))
    if action in _ACTION_TYPES:
        found.add(_ACTION_TYPES[action])
    if "/OpenAction" in keys:
        opening = value.get("/OpenAction")
        # A destination (an array: "open at page 1") is harmless; an action other than GoTo is not.
        if isinstance(opening, pikepdf.Dictionary) and str(opening.get("/S", "")) != "/GoTo":
            found.add("pdf_actions")
    for key in keys:
        child = value.get(key)
        if not getattr(child, "is_indirect", True):  # scalars come back as Python values
            _walk(child, found, deadline, depth + 1)


def pdf_inspect(
    data: bytes,
    *,
    max_pages: int,
    max_decompressed_bytes: int,
    max_seconds: float,
    eof_tolerance: int = PDF_EOF_TOLERANCE,
    rewrite: bool = True,
) -> bytes:
    """Check a stored PDF with qpdf (pikepdf) and return a sanitised copy (``b""`` without
    ``rewrite``); ``PdfRejected`` otherwise.

    The order is cheapest first: appended data, the page count the page tree declares, the real
    page count, then one pass over every object (scripts, actions, attachments, decompressed size)
    with the clock checked per object.
    """
    import io

    import pikepdf

    started = time.monotonic()

    def in_time() -> None:
        if time.monotonic() - started > max_seconds:
            raise PdfRejected("pdf_too_slow")

    if not data.startswith(PDF_MAGIC):
        raise PdfRejected("pdf_not_pdf")
    if b"%%EOF" not in data:
        raise PdfRejected("pdf_damaged", "no %%EOF: truncated")
    if _appended_bytes(data) > eof_tolerance:
        raise PdfRejected("pdf_appended_data")
    try:
        pdf = pikepdf.open(io.BytesIO(data), password="")
    except pikepdf.PasswordError as exc:
        raise PdfRejected("pdf_encrypted") from exc
    except Exception as exc:  # qpdf refuses a file it cannot make sense of in many ways
        raise _refusal(exc) from exc
    with pdf:
        try:
            declared = pdf.Root.Pages.get("/Count", 0)
            if int(declared) > max_pages:
                raise PdfRejected("pdf_too_many_pages", f"declares {declared}")
            pages = len(pdf.pages)
            if pages > max_pages:
                raise PdfRejected("pdf_too_many_pages", f"has {pages}")
            if pages < 1:
                raise PdfRejected("pdf_damaged", "no pages")
            in_time()
            found: set[str] = set()
            decompressed = 0
            deadline = started + max_seconds
            _walk(pdf.trailer, found, deadline)
            for obj in pdf.objects:
                in_time()
                if obj is None:
                    continue
                _walk(obj, found, deadline)
                if isinstance(obj, pikepdf.Stream):
                    decompressed += _decoded_size(obj, max_decompressed_bytes - decompressed)
                    if decompressed > max_decompressed_bytes:
                        raise PdfRejected("pdf_too_big_inside", f"over {max_decompressed_bytes} bytes")
            for code in ("pdf_javascript", "pdf_actions", "pdf_embedded_files"):
                if code in found:
                    raise PdfRejected(code)
            in_time()
            if not rewrite:
                return b""
            out = io.BytesIO()
            # Streams are copied as stored (not re-encoded); only reachable objects are written.
            pdf.save(out, linearize=False, deterministic_id=True)
        except PdfRejected:
            raise
        except Exception as exc:
            raise _refusal(exc) from exc
    return out.getvalue()


def _refusal(exc: Exception) -> PdfRejected:
    """A damaged file, or the worker's soft time limit (Celery's signal) arriving inside qpdf."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return PdfRejected("pdf_too_slow")
    return PdfRejected("pdf_damaged", str(exc)[:200])

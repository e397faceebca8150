"""The text of a jobseeker's CV, for suggestions only: read from the uploaded PDF, never stored.

The checks on the file (size, PDF header, structure, password, pages, time) are ``core.pdf``'s,
shared with the application form's CV; here only what the CV page needs on top: a tidy text.
"""

import re

from django.core.files.uploadedfile import UploadedFile

from core.pdf import pdf_text

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def cv_text(cv: UploadedFile) -> str:
    """The CV's text with its spacing tidied; ValidationError (translated) when the PDF cannot be read."""
    text = pdf_text(cv).replace("\r", "\n").replace("\x00", "")
    # A word broken across lines at its hyphen ("TIG-\nlassen") is one word again, hyphen kept.
    text = re.sub(r"(\w)-\n(\w)", r"\1-\2", text)
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()

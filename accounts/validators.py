"""Validators for Dutch and Belgian identifiers (python-stdnum, docs/domain.md)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.be import vat as be_vat
from stdnum.nl import postcode as nl_postcode


def normalise_kvk_number(value: str) -> str:
    """Dutch KvK number: 8 digits, no check digit."""
    digits = "".join(ch for ch in str(value) if not ch.isspace() and ch not in ".-")
    if len(digits) != 8 or not digits.isdigit():
        raise ValidationError(_("A KvK number has exactly 8 digits."), code="invalid_kvk")
    return digits


def normalise_enterprise_number(value: str) -> str:
    """Belgian enterprise number (KBO/BCE): 10 digits with a mod-97 check, as 0123.456.789."""
    try:
        compact = be_vat.validate(value)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("This enterprise number (KBO/BCE) fails its check digits; please check it."),
            code="invalid_kbo_checksum",
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("An enterprise number (KBO/BCE) has 10 digits, e.g. 0403.170.701."), code="invalid_kbo"
        ) from exc
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def normalise_nl_postcode(value: str) -> str:
    try:
        return nl_postcode.validate(value)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("A Dutch postcode looks like 4531 AB."), code="invalid_nl_postcode") from exc


def normalise_be_postcode(value: str) -> str:
    digits = str(value).strip()
    if len(digits) != 4 or not digits.isdigit() or digits[0] == "0":
        raise ValidationError(_("A Belgian postcode has 4 digits, e.g. 9060."), code="invalid_be_postcode")
    return digits


def validate_kvk_number(value: str) -> None:
    normalise_kvk_number(value)


def validate_enterprise_number(value: str) -> None:
    normalise_enterprise_number(value)

"""Dutch and Belgian identifiers: valid ones pass, invalid ones give clear errors."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.validators import (
    normalise_be_postcode,
    normalise_enterprise_number,
    normalise_kvk_number,
    normalise_nl_postcode,
)


def test_valid_kvk_number_is_normalised():
    assert normalise_kvk_number("6936 5591") == "69365591"


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a", ""])
def test_invalid_kvk_number_is_refused_with_a_clear_message(value):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        normalise_kvk_number(value)
    with translation.override("en"):  # the message is lazy; Dutch is the default language
        assert "8 digits" in exc.value.messages[0]


def test_valid_enterprise_number_passes_the_mod97_check():
    assert normalise_enterprise_number("0403.170.701") == "0403.170.701"
    assert normalise_enterprise_number("BE 0403170701") == "0403.170.701"


def test_enterprise_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_enterprise_number("0403.170.702")
    assert exc.value.code == "invalid_kbo_checksum"


def test_enterprise_number_of_the_wrong_length_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_enterprise_number("12345")
    assert exc.value.code == "invalid_kbo"


def test_dutch_postcode():
    assert normalise_nl_postcode("4531ab") == "4531 AB"
    with pytest.raises(ValidationError):
        normalise_nl_postcode("0531 AB")
    with pytest.raises(ValidationError):
        normalise_nl_postcode("9060")


def test_belgian_postcode():
    assert normalise_be_postcode("9060") == "9060"
    for bad in ("906", "90600", "0900", "abcd"):
        with pytest.raises(ValidationError):
            normalise_be_postcode(bad)

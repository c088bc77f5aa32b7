"""Tests for mapper.gazetteer.countries: country codes from codes and English names."""

from __future__ import annotations

import pytest

from mapper.gazetteer.countries import country_code


@pytest.mark.parametrize(
    ("value", "code"),
    [("PK", "PK"), ("pk", "PK"), ("Pakistan", "PK"), ("india", "IN"), ("Atlantis", None)],
)
def test_country_code_accepts_codes_and_english_names(value, code):
    assert country_code(value) == code

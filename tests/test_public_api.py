"""The public surface: every name in mapper.__all__ resolves, and importing mapper stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mapper


@pytest.mark.parametrize("name", mapper.__all__)
def test_every_public_name_resolves(name):
    assert getattr(mapper, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        mapper.nope  # noqa: B018


def test_import_mapper_does_not_load_heavy_libraries():
    code = (
        "import sys, mapper, mapper.cli; mapper.cli.build_parser();"
        "print(sorted(m for m in ('numpy', 'pandas', 'geopandas', 'folium') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

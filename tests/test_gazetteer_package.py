"""The gazetteer package's surface: its names load on first use, and loading it stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mapper.gazetteer


def test_importing_the_package_does_not_load_numpy_or_pandas():
    code = (
        "import sys, mapper.gazetteer;"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", mapper.gazetteer.__all__)
def test_every_exported_name_comes_from_its_module(name):
    value = getattr(mapper.gazetteer, name)
    module = mapper.gazetteer._LAZY[name]
    assert value is getattr(sys.modules[module], name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Gazeteer'"):
        mapper.gazetteer.Gazeteer  # noqa: B018

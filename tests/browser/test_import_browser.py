"""An imported table on the map: a total and its groups are never added together."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pagetools import open_popup

from mapper.dataset import read_dataset
from mapper.importers.common import write_dataset
from mapper.importers.table import import_table
from mapper.render import build_map, save_map

pytestmark = pytest.mark.browser

TABLES = Path(__file__).parents[1] / "fixtures" / "tables"


def radius_of(killed: float | None) -> float:
    """The marker radius rule of mapper.js."""
    return 4.0 if killed is None else min(30.0, 4 + 2.4 * math.sqrt(killed))


def test_groups_that_are_parts_of_a_total_are_not_added_to_it(tmp_path, open_map):
    ds = write_dataset(import_table(TABLES / "strikes.csv"), tmp_path / "strikes")
    path = save_map(build_map(read_dataset(ds), tiles=None), tmp_path / "strikes.html")
    page, log = open_map(path)
    radii = page.evaluate("window.mapperMap.radii()")
    # Conservative: the total's low (5), not 5 + militants 4 + civilians 1.
    assert radii["S1"] == pytest.approx(radius_of(5), abs=1e-4)
    assert radii["S2"] == pytest.approx(radius_of(13), abs=1e-4)
    page.select_option(".mapper-figure-select", "highest")
    radii = page.evaluate("window.mapperMap.radii()")
    assert radii["S1"] == pytest.approx(radius_of(7), abs=1e-4)
    assert radii["S2"] == pytest.approx(radius_of(22), abs=1e-4)
    assert log.errors == []


def test_columns_the_import_kept_are_shown_in_the_popup(tmp_path, open_map):
    result = import_table(TABLES / "suicide_attacks.csv", event_type="Suicide bomb")
    ds = write_dataset(result, tmp_path / "attacks")
    path = save_map(build_map(read_dataset(ds), tiles=None), tmp_path / "attacks.html")
    page, log = open_map(path)
    text = open_popup(page, "suicide_attacks-2")
    assert "temperature(c)\t15°" in text
    assert "location\tEmbassy gate" in text
    assert log.errors == []

"""The map's features on 60,000 generated incidents, in offline Chromium (issue 5 item 3).

Each test checks one feature of issue 4 against the data itself (layers, time
window, figures control, popups, URL state, offline) on a page that aggregates
into a grid at the start view. Timings are measured by benchmarks/bench_map.py,
not asserted here.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pagetools import set_window

from mapper.render import build_map, incident_spans, save_map

pytestmark = pytest.mark.browser

N = 60_000
FIXTURES = Path(__file__).parents[1] / "fixtures" / "maps"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)
EPOCH = np.datetime64("1970-01-01")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    dataset = factory.synthetic_dataset(N, seed=11)
    path = save_map(build_map(dataset, tiles=None), tmp_path_factory.mktemp("scale") / "60k.html")
    return path, dataset


def in_window(dataset, first: str, last: str) -> np.ndarray:
    start, end = incident_spans(dataset.incidents)
    lo = (np.datetime64(first) - EPOCH).astype(int)
    hi = (np.datetime64(last) - EPOCH).astype(int)
    return (start <= hi) & (end >= lo)


def ids_where(dataset, mask) -> set[str]:
    return set(dataset.incidents.loc[mask, "incident_id"])


def visible(page) -> set[str]:
    return set(page.evaluate("window.mapperMap.visibleIds()"))


def killed_figure(claims: pd.DataFrame, mode: str) -> float | None:
    """The page's rule, from the claim rows: one statement's figures, never several.

    A statement is one claimant's claims of one date and source; within it, per
    subject the lowest low (conservative) or the highest figure, added up; of the
    statements, the smallest total (conservative) or the largest.
    """
    rows = claims[claims["outcome"] == "killed"]
    if "part_of" in rows.columns:
        rows = rows[rows["part_of"].fillna("").astype(str).str.strip() == ""]
    if rows.empty:
        return None
    low = rows["low"].astype(float)
    top = rows["high"].astype("Float64").fillna(rows["low"].astype("Float64")).astype(float)
    value = low if mode == "conservative" else top
    keys = [rows["claimant"], rows["claimed_on"].astype(str), rows["source"], rows["subject"]]
    per_subject = value.groupby(keys, dropna=False)
    per_subject = per_subject.min() if mode == "conservative" else per_subject.max()
    totals = per_subject.groupby(level=[0, 1, 2], dropna=False).sum()
    return float(totals.min() if mode == "conservative" else totals.max())


def radius_of(killed: float | None) -> float:
    return 4.0 if killed is None else min(30.0, 4 + 2.4 * math.sqrt(killed))


def test_large_page_loads_offline_and_starts_aggregated(large, open_map):
    path, dataset = large
    page, log = open_map(path)
    assert log.errors == [] and log.blocked == []
    assert page.inner_text(".mapper-count").startswith(f"{N} of {N} incidents")
    drawn = page.evaluate("window.mapperMap.drawn()")
    assert drawn["mode"] == "grid" and drawn["count"] > 2500 and drawn["cells"] > 0
    assert visible(page) == set(dataset.incidents["incident_id"])


def test_large_time_window_and_layer_toggle_give_exactly_the_data_subsets(large, open_map):
    path, dataset = large
    page, log = open_map(path)
    set_window(page, "2021-01-01", "2021-12-31")
    window = in_window(dataset, "2021-01-01", "2021-12-31")
    assert visible(page) == ids_where(dataset, window)
    assert page.inner_text(".mapper-count").startswith(f"{window.sum()} of {N}")
    page.click('input[data-layer="protests"]')
    protests = dataset.incidents["event_type"].to_numpy() == "Protests"
    assert visible(page) == ids_where(dataset, window & ~protests)
    page.click('input[data-layer="protests"]')
    assert visible(page) == ids_where(dataset, window)
    assert log.errors == []


def test_large_figures_control_sizes_markers_from_each_incidents_claims(large, open_map):
    path, dataset = large
    page, _ = open_map(path)
    claims = dataset.claims
    sample = claims["incident_id"].drop_duplicates().iloc[::4000].tolist()
    for mode in ("conservative", "highest"):
        page.select_option(".mapper-figure-select", mode)
        radii = page.evaluate("window.mapperMap.radii()")
        for incident_id in sample:
            own = claims[claims["incident_id"] == incident_id]
            expected = radius_of(killed_figure(own, mode))
            assert radii[incident_id] == pytest.approx(expected, abs=1e-4), (mode, incident_id)
    page.select_option(".mapper-figure-select", "claimant:BLA")
    radii = page.evaluate("window.mapperMap.radii()")
    for incident_id in sample:
        own = claims[(claims["incident_id"] == incident_id) & (claims["claimant"] == "BLA")]
        # One claimant's figure: the largest total it gave in one statement.
        assert radii[incident_id] == pytest.approx(
            radius_of(killed_figure(own, "highest")), abs=1e-4
        )


def test_large_popup_shows_every_claim_of_the_clicked_incident(large, open_map):
    path, dataset = large
    page, log = open_map(path)
    counts = dataset.claims.groupby("incident_id").size()
    incident_id = counts[counts >= 3].index[0]
    # Zoomed in on it, individual incidents are drawn and clickable.
    row = dataset.incidents.set_index("incident_id").loc[incident_id]
    # (Braces: setView returns the map, which the test should not copy back.)
    page.evaluate(
        "([lat, lon]) => { window.mapperMap.map.setView([lat, lon], 16, {animate: false}); }",
        [float(row["latitude"]), float(row["longitude"])],
    )
    assert page.evaluate("window.mapperMap.drawn()")["mode"] == "points"
    # Left of the panel and low enough for the popup to open above the point.
    page.evaluate("() => { window.mapperMap.map.panBy([150, -250], {animate: false}); }")
    point = page.evaluate("(id) => window.mapperMap.screenPoint(id)", incident_id)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content")
    claim_rows = page.locator(".leaflet-popup-content .mapper-claim")
    shown = {claim_rows.nth(i).get_attribute("data-claim") for i in range(claim_rows.count())}
    expected = set(dataset.claims.loc[dataset.claims["incident_id"] == incident_id, "claim_id"])
    assert shown == expected
    text = page.inner_text(".leaflet-popup-content")
    for claimant in dataset.claims.loc[dataset.claims["incident_id"] == incident_id, "claimant"]:
        assert claimant in text
    assert log.errors == []


def test_large_url_fragment_restores_window_layers_figures_and_view(large, open_map):
    path, dataset = large
    fragment = "from=2020-03-01&to=2020-03-31&hide=battles,riots&fig=highest&at=30.1841,67.0014,9"
    page, log = open_map(path, fragment=fragment)
    state = page.evaluate("window.mapperMap.state()")
    assert (state["from"], state["to"], state["figures"], state["zoom"]) == (
        "2020-03-01",
        "2020-03-31",
        "highest",
        9,
    )
    assert state["hidden"] == ["battles", "riots"]
    types = dataset.incidents["event_type"].to_numpy()
    expected = in_window(dataset, "2020-03-01", "2020-03-31") & ~np.isin(
        types, ["Battles", "Riots"]
    )
    assert visible(page) == ids_where(dataset, expected)
    assert log.errors == []

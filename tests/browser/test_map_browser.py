"""The map in headless Chromium with the network blocked (issue 4 item 8, issue 6 item 1)."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest
from pagetools import drawn_blobs, open_popup, set_window, wait_still

from mapper.render import build_map, incident_spans, save_map

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures" / "maps"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)

EPOCH = np.datetime64("1970-01-01")


def radius_of(killed: float | None) -> float:
    """The marker radius rule of figures.js, for checking sizes against the claims."""
    return 4.0 if killed is None else min(30.0, 4 + 2.4 * math.sqrt(killed))


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    tiny = factory.tiny_dataset()
    paths = {
        "tiny": save_map(build_map(tiny, tiles=None), out / "tiny.html"),
        "tiny_osm": save_map(build_map(tiny, tiles="OpenStreetMap"), out / "tiny_osm.html"),
        "hostile": save_map(build_map(factory.hostile_dataset(), tiles=None), out / "hostile.html"),
    }
    big = factory.synthetic_dataset(30_000, seed=3)
    paths["big"] = save_map(build_map(big, tiles=None), out / "big.html")
    return paths, tiny, big


def expected_in_window(dataset, first: str, last: str, *, placed_only=True) -> set[str]:
    inc = dataset.incidents
    start, end = incident_spans(inc)
    lo = (np.datetime64(first) - EPOCH).astype(int)
    hi = (np.datetime64(last) - EPOCH).astype(int)
    mask = (start <= hi) & (end >= lo)
    if placed_only:
        mask &= inc["placement"].to_numpy() == "placed"
    return set(inc.loc[mask, "incident_id"])


def test_page_loads_offline_without_errors_or_requests(maps, open_map):
    paths, tiny, _ = maps
    page, log = open_map(paths["tiny"])
    assert log.errors == []
    assert log.blocked == []
    placed = set(tiny.incidents.loc[tiny.incidents["placement"] == "placed", "incident_id"])
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == placed
    assert page.inner_text(".mapper-count").startswith(f"{len(placed)} of {len(tiny.incidents)}")
    # The unplaced incident is listed, not hidden.
    assert "Somewhere Unknown" in page.inner_text(".mapper-unplaced")
    # Layer toggles, time window and legend are on the page.
    for selector in (".mapper-layer input", ".mapper-from-input", ".mapper-play", ".mapper-legend"):
        assert page.locator(selector).first.is_visible()


def test_with_tiles_cut_off_only_tile_requests_fail_and_incidents_still_show(maps, open_map):
    paths, _tiny, _ = maps
    page, log = open_map(paths["tiny_osm"])
    page.wait_for_timeout(300)
    assert log.blocked == [], "tiles are asked for only once the reader chooses them"
    page.click("text=Layers, time & legend") if not page.is_visible(".mapper-background") else None
    page.check('input[data-background="tiles"]')
    page.wait_for_timeout(300)
    assert log.blocked, "the tile layer should have asked for tiles"
    assert all("tile.openstreetmap.org" in url for url in log.blocked)
    assert [e for e in log.errors if "ERR_FAILED" not in e] == []
    assert len(page.evaluate("window.mapperMap.visibleIds()")) == 6


def test_toggling_a_layer_hides_exactly_its_incidents(maps, open_map):
    paths, tiny, _ = maps
    page, _ = open_map(paths["tiny"])
    before = set(page.evaluate("window.mapperMap.visibleIds()"))
    page.click('input[data-layer="battles"]')
    after = set(page.evaluate("window.mapperMap.visibleIds()"))
    battles = set(tiny.incidents.loc[tiny.incidents["event_type"] == "Battles", "incident_id"])
    assert after == before - battles
    page.click('input[data-layer="battles"]')
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == before


@pytest.mark.parametrize(
    ("first", "last"),
    [("2026-01-31", "2026-01-31"), ("2025-03-10", "2025-03-10"), ("2023-05-01", "2026-01-30")],
)
def test_time_window_shows_exactly_the_incidents_in_it(maps, open_map, first, last):
    paths, tiny, _ = maps
    page, _ = open_map(paths["tiny"])
    set_window(page, first, last)
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == expected_in_window(
        tiny, first, last
    )
    assert page.inner_text(".mapper-from") == first
    assert page.inner_text(".mapper-to") == last


def test_time_window_and_layer_toggle_work_together(maps, open_map):
    paths, tiny, _ = maps
    page, _ = open_map(paths["tiny"])
    set_window(page, "2026-01-31", "2026-02-02")
    page.click('input[data-layer="explosions-remote-violence"]')
    expected = expected_in_window(tiny, "2026-01-31", "2026-02-02") - {"T-003"}
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == expected
    # The operations follow the window: the 30 January raids are out of it.
    assert page.evaluate("window.mapperMap.state().operationsShown") == 1


def test_play_moves_the_window_forward(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    page.click(".mapper-play")
    first = page.evaluate("window.mapperMap.state()")
    page.wait_for_timeout(900)
    later = page.evaluate("window.mapperMap.state()")
    page.click(".mapper-play")
    assert later["from"] > first["from"]


def test_figures_control_changes_marker_sizes(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    radii = page.evaluate("window.mapperMap.radii()")
    # Conservative: the smallest statement, ISPR's 41 militants + 17 security forces.
    assert radii["T-002"] == pytest.approx(radius_of(41 + 17), abs=1e-4)
    assert radii["T-005"] == pytest.approx(radius_of(None))
    page.select_option(".mapper-figure-select", "highest")
    # The largest statement, BLA's 94; never ISPR's 41 + BLA's 94 (issue 13).
    assert page.evaluate("window.mapperMap.radii()")["T-002"] == pytest.approx(
        radius_of(94), abs=1e-4
    )
    page.select_option(".mapper-figure-select", "claimant:BLA")
    radii = page.evaluate("window.mapperMap.radii()")
    assert radii["T-002"] == pytest.approx(radius_of(94), abs=1e-4)
    assert radii["T-003"] == pytest.approx(radius_of(9), abs=1e-4)
    # The operation's own claims size its disc.
    assert radii["operation:OP-STORM"] == pytest.approx(radius_of(None))
    page.select_option(".mapper-figure-select", "claimant:ISPR")
    radii = page.evaluate("window.mapperMap.radii()")
    assert radii["T-003"] == pytest.approx(radius_of(None))
    assert radii["operation:OP-STORM"] == pytest.approx(radius_of(145), abs=1e-4)


def test_url_fragment_restores_the_view(maps, open_map):
    paths, _tiny, _ = maps
    fragment = "from=2026-01-31&to=2026-02-02&hide=battles&fig=highest&at=26.5000,63.5000,8"
    page, log = open_map(paths["tiny"], fragment=fragment)
    state = page.evaluate("window.mapperMap.state()")
    assert state["from"] == "2026-01-31" and state["to"] == "2026-02-02"
    assert state["hidden"] == ["battles"]
    assert state["figures"] == "highest"
    assert state["zoom"] == 8
    assert state["center"] == pytest.approx([26.5, 63.5], abs=1e-3)
    assert page.is_checked('input[data-layer="battles"]') is False
    assert page.input_value(".mapper-figure-select") == "highest"
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == {"T-003"}
    assert log.errors == []


def test_a_copied_link_reopens_the_same_view(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    set_window(page, "2025-01-01", "2026-01-31")
    page.click('input[data-layer="protests"]')
    page.select_option(".mapper-figure-select", "claimant:ISPR")
    state = page.evaluate("window.mapperMap.state()")
    fragment = page.evaluate("location.hash.slice(1)")
    again, _ = open_map(paths["tiny"], fragment=fragment)
    restored = again.evaluate("window.mapperMap.state()")
    for key in ("from", "to", "hidden", "figures", "zoom"):
        assert restored[key] == state[key]
    assert restored["center"] == pytest.approx(state["center"], abs=1e-3)


def test_a_hostile_fragment_is_ignored(maps, open_map):
    paths, _, _ = maps
    fragment = "from=<script>&to=x&hide=<img onerror=alert(1)>&fig=claimant:<b>&at=9999,1,1"
    page, log = open_map(paths["tiny"], fragment=fragment)
    state = page.evaluate("window.mapperMap.state()")
    assert state["figures"] == "conservative"
    assert len(page.evaluate("window.mapperMap.visibleIds()")) == 6
    assert log.errors == []


def test_popup_shows_both_sides_claims_status_and_precision(maps, open_map):
    paths, _, _ = maps
    page, log = open_map(paths["tiny"])
    text = open_popup(page, "T-002")
    assert "ISPR" in text and "BLA" in text
    assert "security forces killed · 2 claimants · range 17–94 · spread 5.53×" in text
    assert re.search(r"84–94\s*BLA", text)
    assert "militants killed: at least 41 (ISPR)" in text
    assert "disputed" in text
    assert "exact" in text
    assert "Test wire, 2 Feb 2026" in text
    # The incident's operation's claims are shown beside its own.
    assert "militants killed: 145 (ISPR)" in text
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/report"
    assert log.errors == []


def test_approximate_location_is_labelled_in_the_popup(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    text = open_popup(page, "T-004")
    assert "near (approximate, within about 5 km)" in text


def test_no_payload_runs_even_after_every_popup_is_opened(maps, open_map):
    paths, _, _ = maps
    page, log = open_map(paths["hostile"])
    ids = page.evaluate("window.mapperMap.visibleIds()")
    seen = ""
    for incident_id in ids:
        seen += open_popup(page, incident_id)
    # Operation discs, context sites, unplaced entries and the credits.
    for marker in page.locator(".mapper-site").all():
        marker.click(force=True)
        seen += page.inner_text(".leaflet-popup-content")
    for details in page.locator(".mapper-unplaced-item, .mapper-credits").all():
        details.evaluate("(d) => { d.open = true; }")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    # The text reads as written.
    assert factory.PAYLOADS[0] in seen
    assert '<img src=x onerror="window.__pwned=3">' in seen
    assert "{{ 7*7 }}" in seen
    assert page.inner_text(".mapper-title h1") == factory.PAYLOADS[1]
    # No javascript: link was made, and no element came from the data.
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload], b').length") == 0
    assert log.errors == []


def test_a_large_map_aggregates_then_filters_exactly(maps, open_map):
    paths, _, big = maps
    page, log = open_map(paths["big"])
    assert log.errors == []
    drawn = page.evaluate("window.mapperMap.drawn()")
    assert drawn["mode"] == "grid" and drawn["cells"] > 0
    set_window(page, "2020-03-01", "2020-03-31")
    got = set(page.evaluate("window.mapperMap.visibleIds()"))
    assert got == expected_in_window(big, "2020-03-01", "2020-03-31")
    page.click('input[data-layer="protests"]')
    protests = set(big.incidents.loc[big.incidents["event_type"] == "Protests", "incident_id"])
    assert set(page.evaluate("window.mapperMap.visibleIds()")) == got - protests
    # Zoomed in on one town, individual incidents are drawn and clickable.
    page.evaluate("void window.mapperMap.map.setView([30.18414, 67.00141], 12, {animate: false})")
    assert page.evaluate("window.mapperMap.drawn()")["mode"] == "points"


def test_phone_sized_screen_starts_with_the_panel_folded(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=390, height=740)
    assert page.is_visible(".mapper-panel-toggle")
    assert not page.is_visible(".mapper-legend")
    page.click(".mapper-panel-toggle")
    assert page.is_visible(".mapper-legend")


def test_uncertainty_rings_at_one_spot_are_drawn_once(tmp_path, open_map):
    # 600 approximate incidents within a few hundred metres: one ring says it all; 600
    # stacked rings would haze the map over and take most of a second to paint.
    from mapper.synthetic import synthetic_tables

    inc, claims = synthetic_tables(600, seed=5)
    rng = np.random.default_rng(0)
    inc["latitude"] = 30.18 + rng.uniform(-0.002, 0.002, len(inc))
    inc["longitude"] = 67.0 + rng.uniform(-0.002, 0.002, len(inc))
    inc["location_precision"] = "near"
    path = save_map(
        build_map(factory.dataset_from_tables(inc, claims, name="rings"), tiles=None),
        tmp_path / "rings.html",
    )
    page, log = open_map(path)
    page.evaluate("() => { window.mapperMap.map.setView([30.18, 67.0], 12, {animate: false}); }")
    page.wait_for_function("window.mapperMap.drawn().points === 600")
    drawn = page.evaluate("() => window.mapperMap.drawn()")
    assert drawn["mode"] == "points"
    assert 1 <= drawn["rings"] <= 4
    assert log.errors == []


def _shown_names(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            ".mapper-name:not(.mapper-name-hidden) .mapper-name-text")).map((n) => {
            const r = n.getBoundingClientRect();
            return {text: n.textContent,
                    left: r.left, right: r.right, top: r.top, bottom: r.bottom};
        })"""
    )


def _operation_labels(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(".mapper-op-tooltip")).map((n) => {
            const r = n.getBoundingClientRect();
            return {text: n.textContent, hidden: n.classList.contains("mapper-label-hidden"),
                    left: r.left, right: r.right, top: r.top, bottom: r.bottom};
        })"""
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 740)])
def test_operation_labels_cover_no_other_label_and_no_marker(tmp_path, open_map, width, height):
    from mapper.dataset import read_dataset

    path = save_map(build_map(read_dataset(None), tiles=None), tmp_path / "bundled.html")
    page, log = open_map(path, width=width, height=height)
    for _ in range(2):  # as opened, then one zoom step in
        labels = _operation_labels(page)
        shown = [a for a in labels if not a["hidden"]]
        assert len(labels) == 3 and shown
        for k, a in enumerate(shown):
            for b in shown[k + 1 :]:
                overlap = (
                    a["left"] < b["right"] and b["left"] < a["right"]
                    and a["top"] < b["bottom"] and b["top"] < a["bottom"]
                )  # fmt: skip
                assert not overlap, (a["text"], b["text"])
            # Whole on the screen, and over no incident marker the canvas painted (not
            # the dashes of an uncertainty ring, a few pixels each).
            assert a["left"] >= 0 and a["right"] <= width, a
            markers = [b for b in drawn_blobs(page) if min(b["width"], b["height"]) >= 6]
            for blob in markers:
                inside = (
                    a["left"] <= blob["x"] <= a["right"] and a["top"] <= blob["y"] <= a["bottom"]
                )
                assert not inside, (a["text"], blob)
            # No place or area name shown under it either.
            for name in _shown_names(page):
                overlap = (
                    a["left"] < name["right"] and name["left"] < a["right"]
                    and a["top"] < name["bottom"] and name["top"] < a["bottom"]
                )  # fmt: skip
                assert not overlap, (a["text"], name["text"])
        if width == 1280:
            assert len(shown) == 3  # room for every label: none is hidden
        page.evaluate("() => { const m = window.mapperMap.map; m.setZoom(m.getZoom() + 1); }")
        wait_still(page)
    assert log.errors == []

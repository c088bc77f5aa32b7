"""Figures only as claimed, claims in popups, and the page's small fixes (issue 13 items 5-7)."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import pytest
from pagetools import click_in_popup, open_popup, wait_still

from mapper.dataset import read_dataset
from mapper.render import build_map, save_map

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures" / "maps"
STATEMENTS = FIXTURES / "statements"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)

# Sums no party made: across statements of one claimant (17 + 31), across claimants
# (17 + 92, 31 + 92, all three; 6 + 40, 9 + 40, 6 + 9 + 40) and a total plus its part (57 + 54).
NEVER_CLAIMED = {48, 109, 123, 140, 46, 49, 55, 111}
# What may size a marker: one claim, or one statement's counts added (6 + 9).
CLAIMED = {17, 31, 92, 57, 54, 6, 9, 40, 15}
FIGURES = ["conservative", "highest", "claimant:Officials", "claimant:Army", "claimant:UCDP"]


def radius_of(killed: float | None) -> float:
    """The marker radius rule of figures.js."""
    return 4.0 if killed is None else min(30.0, 4 + 2.4 * math.sqrt(killed))


@pytest.fixture(scope="module")
def statements_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("statements")
    return save_map(build_map(read_dataset(STATEMENTS), tiles=None), out / "statements.html")


def numbers_in(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"(?<![\d-])\d+(?![\d-])", text)}


def size_lines(page) -> list[str]:
    return page.eval_on_selector_all(".mapper-size-line", "ns => ns.map(n => n.textContent)")


@pytest.mark.parametrize("figures", FIGURES)
def test_no_figure_on_the_page_that_no_party_claimed(statements_map, open_map, figures):
    page, log = open_map(statements_map, fragment=f"fig={figures}")
    radii = page.evaluate("window.mapperMap.radii()")
    allowed_radii = {round(radius_of(v), 4) for v in CLAIMED} | {4.0}
    assert {round(r, 4) for r in radii.values()} <= allowed_radii
    seen = numbers_in(page.inner_text("body"))
    lines = []
    for incident in ("S-OP1", "S-UCDP", "S-ONE"):
        seen |= numbers_in(open_popup(page, incident_id=incident))
        lines += size_lines(page)
    seen |= numbers_in(open_popup(page, operation="Operation X"))
    lines += size_lines(page)
    assert seen & NEVER_CLAIMED == set()
    # Every size the popups state is a claim or one statement's sum.
    for line in lines:
        m = re.match(r"(Marker|Disc) size: (at least |over )?(\d+)", line)
        if m:
            assert int(m[3]) in CLAIMED, line
    assert log.errors == []


def test_sizes_follow_one_statement_and_name_its_arithmetic(statements_map, open_map):
    page, _ = open_map(statements_map)
    radii = page.evaluate("window.mapperMap.radii()")
    assert radii["operation:OP-X"] == pytest.approx(radius_of(17), abs=1e-4)
    assert radii["S-UCDP"] == pytest.approx(radius_of(57), abs=1e-4)  # never 57 + 54
    # The smallest statement total: officials' 6 + 9, not their 6 alone, nor 6 + 40.
    assert radii["S-ONE"] == pytest.approx(radius_of(15), abs=1e-4)
    open_popup(page, incident_id="S-UCDP")
    click_in_popup(page, ".mapper-claim-group:has([data-claim='ucdp-civ']) summary")
    assert "part of claim ucdp-best; never added to it" in page.inner_text(".leaflet-popup")
    open_popup(page, incident_id="S-ONE")
    line = size_lines(page)[0]
    assert line.startswith(
        "Marker size: 15 killed = 9 civilians + 6 security forces, "
        "one statement by Provincial officials on 3 September 2025"
    )
    assert "claims one-civ, one-sf" in line
    page.select_option(".mapper-figure-select", "highest")
    radii = page.evaluate("window.mapperMap.radii()")
    assert radii["operation:OP-X"] == pytest.approx(radius_of(92), abs=1e-4)
    assert radii["S-ONE"] == pytest.approx(radius_of(40), abs=1e-4)
    open_popup(page, incident_id="S-ONE")
    assert size_lines(page)[0].startswith(
        "Marker size: over 40 security forces killed, as claimed by Armed group on 4 September 2025"
    )
    page.select_option(".mapper-figure-select", "claimant:Officials")
    radii = page.evaluate("window.mapperMap.radii()")
    # Officials' two statements about the operation are never added (17 + 31).
    assert radii["operation:OP-X"] == pytest.approx(radius_of(31), abs=1e-4)


def test_size_key_draws_the_marker_rule_with_its_numbers(statements_map, open_map):
    page, _ = open_map(statements_map)
    refs = page.eval_on_selector_all(
        ".mapper-size-ref",
        "ns => ns.map(n => [n.firstChild.getBoundingClientRect().width, n.textContent])",
    )
    assert len(refs) == 3
    for width, label in refs:
        n = int(label.split()[0])
        assert width == pytest.approx(2 * radius_of(n), abs=0.6)
    widths = [w for w, _ in refs]
    assert widths == sorted(widths) and widths[-1] > 1.8 * widths[0]


def test_popup_groups_claims_by_what_they_count_with_range_and_spread(tmp_path, open_map):
    ds = read_dataset(Path(__file__).parents[2] / "data" / "balochistan-2026")
    path = save_map(build_map(ds, tiles=None), tmp_path / "bundled.html")
    page, _ = open_map(path)
    open_popup(page, operation="Operation Herof 2.0")
    groups = page.eval_on_selector_all(
        ".leaflet-popup .mapper-claim-group",
        """ns => ns.map(n => ({summary: n.querySelector('summary').textContent, open: n.open,
            figures: Array.from(n.querySelectorAll('.mapper-claim-figure'))
                .map(f => f.textContent)}))""",
    )
    by_summary = {g["summary"].split(" \u00b7 ")[0].split(":")[0]: g for g in groups}
    sf = by_summary["security forces killed"]
    # As `mapper claims` prints it: range 17-94, spread 94 / 17 = 5.53.
    assert "range 17\u201394" in sf["summary"] and "spread 5.53\u00d7" in sf["summary"]
    assert "conservative 17 (Pakistani officials)" in sf["summary"]
    assert sf["open"] is True
    assert sf["figures"] == ["17", "over 80", "up to 84+", "94"]  # lowest to highest, qualified
    civ = by_summary["civilians killed"]
    assert civ["summary"] == "civilians killed: at least 31 (Pakistani officials)"
    # Deaths first.
    killed = [" killed" in g["summary"] for g in groups]
    assert killed == sorted(killed, reverse=True) and killed.count(True) == 3
    box = page.eval_on_selector(
        ".leaflet-popup", "n => { const r = n.getBoundingClientRect(); return r.width; }"
    )
    assert box <= 362


def test_long_claim_lists_fold_and_the_popup_scrolls(tmp_path, open_map):
    import pandas as pd

    claims = pd.DataFrame(
        {
            "claim_id": [f"c{k}" for k in range(9)],
            "incident_id": "T-002",
            "claimant": [f"Party {k}" for k in range(9)],
            "claimant_side": "media",
            "claimed_on": "2026-02-01",
            "subject": "civilians",
            "outcome": "killed",
            "low": pd.array([10 + k for k in range(9)], dtype="Int64"),
            "high": pd.array([None] * 9, dtype="Int64"),
            "quote": "a figure",
            "source": [f"Report {k}, 1 Feb 2026" for k in range(9)],
        }
    )
    ds = factory.tiny_dataset(claims=claims)
    path = save_map(build_map(ds, tiles=None), tmp_path / "many.html")
    page, _ = open_map(path, width=390, height=740)
    open_popup(page, incident_id="T-002")
    group = page.eval_on_selector(
        ".leaflet-popup .mapper-claim-group",
        "n => ({open: n.open, summary: n.querySelector('summary').textContent})",
    )
    assert group["open"] is False
    assert "9 claimants" in group["summary"] and "range 10\u201318" in group["summary"]
    click_in_popup(page, ".mapper-claim-group summary")
    scroll = page.eval_on_selector(
        ".leaflet-popup-content-wrapper .leaflet-popup-content",
        "n => [n.scrollHeight, n.clientHeight, getComputedStyle(n).overflowY]",
    )
    assert scroll[0] > scroll[1] and scroll[2] == "auto"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 740)])
def test_popups_open_clear_of_the_title_box_and_zoom_buttons(tmp_path, open_map, width, height):
    path = save_map(build_map(factory.tiny_dataset(), tiles=None), tmp_path / "tiny.html")
    page, _ = open_map(path, width=width, height=height)
    # The incident near the top left corner, where the title box and zoom buttons are.
    pt = page.evaluate(
        """() => {
            const m = window.mapperMap, p = m.screenPoint("T-002");
            m.map.panBy([p.x - 60, p.y - 60], {animate: false});
            return m.screenPoint("T-002");
        }"""
    )
    page.mouse.click(pt["x"], pt["y"])
    # Two incidents share this point: the chooser opens first, then the card chosen.
    click_in_popup(page, '.mapper-choice[data-incident="T-002"]')
    page.wait_for_selector(".leaflet-popup-content .mapper-card")
    wait_still(page)  # the card's own auto-pan
    rects = page.evaluate(
        """() => ["leaflet-popup", "mapper-title", "leaflet-control-zoom"].map(c => {
            const r = document.querySelector("." + c).getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom];
        })"""
    )
    popup, *covers = rects
    for c in covers:
        overlap = popup[0] < c[2] and c[0] < popup[2] and popup[1] < c[3] and c[1] < popup[3]
        assert not overlap, (popup, c)
    assert popup[1] >= 0 and popup[3] <= height and popup[2] - popup[0] <= 362


def test_a_link_copied_at_load_gives_the_view_shown(statements_map, open_map):
    page, _ = open_map(statements_map)
    at = page.evaluate("new URLSearchParams(location.hash.slice(1)).get('at')")
    lat, lon, zoom = (float(v) for v in at.split(","))
    state = page.evaluate("window.mapperMap.state()")
    assert zoom == state["zoom"]
    assert lat == pytest.approx(state["center"][0], abs=1e-4)
    assert lon == pytest.approx(state["center"][1], abs=1e-4)
    # The default view before the fit (28.5, 65.5, 6) would be elsewhere.
    assert (round(lat, 1), round(lon, 1), zoom) != (28.5, 65.5, 6)


def test_the_sources_box_closes_again(statements_map, open_map):
    page, _ = open_map(statements_map)
    summary = ".mapper-credits summary"
    page.click(summary)
    assert page.eval_on_selector(".mapper-credits", "n => n.open") is True
    assert "Test sources: made up for the tests" in page.inner_text(".mapper-credits")
    assert page.is_visible(summary)
    page.click(summary)
    assert page.eval_on_selector(".mapper-credits", "n => n.open") is False


def test_numbered_discs_fit_their_digits_do_not_overlap_and_grow_with_the_count(tmp_path, open_map):
    big = factory.synthetic_dataset(30_000, seed=3)
    path = save_map(build_map(big, tiles=None), tmp_path / "big.html")
    page, _ = open_map(path)
    page.evaluate("void window.mapperMap.map.setZoom(5, {animate: false})")
    drawn = page.evaluate("window.mapperMap.drawn()")
    assert drawn["mode"] == "grid"
    discs = drawn["discs"]
    assert len(discs) >= 5
    for a in range(len(discs)):
        for b in range(a + 1, len(discs)):
            da, db = discs[a], discs[b]
            gap = math.hypot(da["x"] - db["x"], da["y"] - db["y"]) - da["r"] - db["r"]
            assert gap >= 1.5, (da, db)  # 1 px outlines do not touch
    widths = page.evaluate(
        """(labels) => {
            const c = document.createElement("canvas").getContext("2d");
            c.font = "bold 11px system-ui, sans-serif";
            return labels.map(t => c.measureText(t).width);
        }""",
        [str(d["n"]) if d["n"] < 10000 else f"{round(d['n'] / 1000)}k" for d in discs],
    )
    for d, w in zip(discs, widths, strict=True):
        assert d["r"] >= w / 2 + 3, d
    # Area follows the count (sqrt scale) until the cell's size: 323 and 1,310 differ visibly.
    r = page.evaluate(
        "(ns) => ns.map(n => Math.min(26, Math.max(0, 7 + 0.55 * Math.sqrt(n))))", [323, 1310]
    )
    assert r[1] / r[0] > 1.5
    by_n = sorted(discs, key=lambda d: d["n"])
    assert by_n[-1]["r"] > by_n[0]["r"] + 4


def test_on_a_phone_the_open_panel_covers_at_most_half_and_zoom_is_allowed(
    statements_map, open_map
):
    page, _ = open_map(statements_map, width=390, height=740)
    viewport = page.eval_on_selector('meta[name="viewport"]', "n => n.content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
    page.click(".mapper-panel-toggle")
    rect = page.eval_on_selector(
        "#mapper-panel", "n => { const r = n.getBoundingClientRect(); return [r.width, r.height]; }"
    )
    assert rect[0] * rect[1] <= 0.55 * 390 * 740
    assert rect[1] <= 0.55 * 740


def test_empty_layers_are_not_listed(tmp_path, open_map):
    import pandas as pd

    from mapper.schema import OPERATION_COLUMNS, SITE_COLUMNS

    ds = factory.tiny_dataset(
        operations=pd.DataFrame(columns=list(OPERATION_COLUMNS)),
        sites=pd.DataFrame(columns=list(SITE_COLUMNS)),
    )
    ds.incidents["operation"] = None
    path = save_map(build_map(ds, tiles=None), tmp_path / "bare.html")
    page, _ = open_map(path)
    layers = page.inner_text(".mapper-layers")
    assert "Operations" not in layers and "Context" not in layers
    assert "Battles" in layers
    with_ops, _ = open_map(
        save_map(build_map(factory.tiny_dataset(), tiles=None), tmp_path / "t.html")
    )
    assert "Operations (2)" in with_ops.inner_text(".mapper-layers")


def test_the_title_is_the_datasets_or_a_readable_name(tmp_path, open_map, statements_map):
    page, _ = open_map(statements_map)
    assert page.inner_text(".mapper-title h1") == "Statements and parts (test)"
    ds = factory.tiny_dataset()
    ds.name = "acled_export-2025.csv"
    page, _ = open_map(save_map(build_map(ds, tiles=None), tmp_path / "named.html"))
    assert page.inner_text(".mapper-title h1") == "Acled export 2025"


def test_a_point_without_a_precision_is_drawn_as_approximate(tmp_path, open_map):
    ds = factory.tiny_dataset()
    ds.incidents.loc[ds.incidents["incident_id"] == "T-002", "location_precision"] = None
    path = save_map(build_map(ds, tiles=None), tmp_path / "noprec.html")
    # Without the other incident at Quetta (T-005) on top of it.
    page, _ = open_map(path, fragment="hide=strategic-developments")
    text = open_popup(page, incident_id="T-002")
    assert "precision not given (drawn as approximate" in text
    # Drawn hollow: the marker's centre pixel is white-ish, not the type's colour.
    page.evaluate("void window.mapperMap.map.closePopup()")
    pixel = [0, 0, 0, 0]
    for _ in range(20):  # the canvas repaints a frame or two after the popup closes
        page.wait_for_timeout(50)
        pixel = page.evaluate(
            """() => {
                const p = window.mapperMap.screenPoint("T-002");
                const c = document.querySelector(".mapper-canvas");
                const d = window.devicePixelRatio || 1;
                const x = Math.round(p.x * d), y = Math.round(p.y * d);
                return Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data);
            }"""
        )
        if pixel[3] > 0:
            break
    assert pixel[3] > 0 and min(pixel[:3]) > 200, pixel

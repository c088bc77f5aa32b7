"""What the map paints and what the panel says, read back from the page (issue 16 item 1).

The incident canvas's pixels are read with ``getImageData`` and cut into patches
of paint; each patch must sit at the projected point of an incident that ought
to be shown, be that incident's type colour as the legend shows it, and be the
size its figures give. The page's own filter model is never consulted: a
drawing step that ignored the time window or the layers fails here.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pagetools import drawn_blobs, screen_point, set_window

import mapper

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parents[1] / "fixtures" / "drawn"
VIEWPORTS = [pytest.param(1280, 800, id="desktop"), pytest.param(390, 740, id="phone")]

#: The fixture's incidents (tests/fixtures/drawn/incidents.csv): point and type.
POINTS = {
    "A": (25.12163, 62.32541, "Battles"),
    "B": (24.86080, 67.01040, "Battles"),
    "C": (31.34082, 69.44930, "Explosions/Remote violence"),
    "D": (28.88846, 64.40616, "Explosions/Remote violence"),
    "E": (30.18414, 67.00141, "Battles"),
    "F": (27.81193, 66.61096, "Protests"),
}
#: The window of January 2026 holds A, C and E; B is the day before, F the day after.
JANUARY = ("2026-01-01", "2026-01-31")


def radius_of(killed: float | None) -> float:
    """Marker radius for a figure, as the legend describes: bigger for more killed."""
    return 4.0 if killed is None else min(30.0, 4 + 2.4 * math.sqrt(killed))


@pytest.fixture(scope="module")
def drawn_map(tmp_path_factory) -> Path:
    dataset = mapper.read_dataset(FIXTURE)
    assert dataset.counts() == {"placed": 6 + 4 + 1, "unplaced": 0, "rejected": 0}
    out = tmp_path_factory.mktemp("drawn") / "drawn.html"
    return mapper.save_map(mapper.build_map(dataset, tiles=None), out)


def open_panel(page) -> None:
    """Unfold the side panel where it starts folded (a phone), as a reader must to use it."""
    toggle = page.locator(".mapper-panel-toggle")
    if toggle.is_visible() and not page.locator(".mapper-figure-select").is_visible():
        toggle.click()
    page.locator(".mapper-figure-select").wait_for(state="visible")


def legend_colour(page, layer: str) -> tuple[int, int, int]:
    """The swatch colour the panel shows beside a layer's checkbox."""
    text = page.evaluate(
        """(key) => {
            const row = document.querySelector(`input[data-layer="${key}"]`).closest("label");
            return getComputedStyle(row.querySelector(".mapper-swatch")).backgroundColor;
        }""",
        layer,
    )
    return tuple(int(v) for v in text[text.index("(") + 1 : text.index(")")].split(",")[:3])


LAYER_OF = {
    "Battles": "battles",
    "Explosions/Remote violence": "explosions-remote-violence",
    "Protests": "protests",
}


def assert_drawn(page, expected: set[str], radii: dict[str, float] | None = None) -> None:
    """Exactly the ``expected`` incidents in view are painted, each once, in its colour."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    where = {i: screen_point(page, *POINTS[i][:2]) for i in POINTS}
    in_view = {i for i in expected if 0 <= where[i][0] < width and 0 <= where[i][1] < height}
    blobs = drawn_blobs(page)
    found: dict[str, dict] = {}
    for blob in blobs:
        near = [i for i, (x, y) in where.items() if math.hypot(blob["x"] - x, blob["y"] - y) < 2]
        assert len(near) == 1, f"paint at ({blob['x']:.0f}, {blob['y']:.0f}) is no incident's"
        assert near[0] not in found, f"incident {near[0]} is painted twice"
        found[near[0]] = blob
    assert set(found) == in_view, f"painted {sorted(found)}, expected {sorted(in_view)}"
    for i, blob in found.items():
        colour = legend_colour(page, LAYER_OF[POINTS[i][2]])
        assert all(abs(a - b) <= 3 for a, b in zip(blob["rgb"], colour, strict=True)), (i, blob)
        if radii is not None:
            # The fill's radius plus half the 1 px white outline, give or take anti-aliasing.
            assert blob["width"] / 2 == pytest.approx(radii[i] + 0.5, abs=1.0), (i, blob)


def count_text(page) -> str:
    return page.inner_text(".mapper-count")


def layer_counts(page) -> dict[str, int]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".mapper-layer")]
            .filter((row) => row.querySelector(".mapper-layer-count"))
            .map((row) => [row.querySelector("input").dataset.layer,
                           Number(row.querySelector(".mapper-layer-count").textContent)]))"""
    )


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_whole_period_paints_all_six_markers_in_their_legend_colours(
    drawn_map, open_map, width, height
):
    page, log = open_map(drawn_map, width=width, height=height)
    assert_drawn(page, set(POINTS))
    assert count_text(page).startswith("6 of 6 incidents")
    assert log.errors == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_a_time_window_paints_exactly_the_three_markers_in_it(drawn_map, open_map, width, height):
    page, log = open_map(drawn_map, width=width, height=height)
    open_panel(page)
    set_window(page, *JANUARY)
    assert_drawn(page, {"A", "C", "E"})
    assert count_text(page).startswith("3 of 6 incidents")
    assert page.inner_text(".mapper-from") == JANUARY[0]
    assert page.inner_text(".mapper-to") == JANUARY[1]
    assert layer_counts(page) == {"battles": 2, "explosions-remote-violence": 1, "protests": 0}
    # The operation's label counts its incidents in the window (A and C, not B).
    label = page.locator(".mapper-op-tooltip").inner_text()
    assert label == "Fixture operation (2 of 3)"
    # Moved on: from 6 January (after A) to 1 February, the window holds C, E and F.
    set_window(page, "2026-01-06", "2026-02-01")
    assert_drawn(page, {"C", "E", "F"})
    assert count_text(page).startswith("3 of 6 incidents")
    assert log.errors == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_turning_a_layer_off_stops_painting_its_markers(drawn_map, open_map, width, height):
    page, log = open_map(drawn_map, width=width, height=height)
    open_panel(page)
    set_window(page, *JANUARY)
    page.click('input[data-layer="battles"]')
    assert_drawn(page, {"C"})
    assert count_text(page).startswith("1 of 6 incidents")
    page.click('input[data-layer="battles"]')
    assert_drawn(page, {"A", "C", "E"})
    # Over the whole period, without explosions: A, B, E and F.
    page.click(".mapper-all")
    page.click('input[data-layer="explosions-remote-violence"]')
    assert_drawn(page, {"A", "B", "E", "F"})
    assert count_text(page).startswith("4 of 6 incidents")
    assert log.errors == []


#: Figures per choice (tests/fixtures/drawn/claims.csv): A has Officials 2-10 and Group 4;
#: E has Officials 5 and Group 20-40. The conservative figure is the lowest low (2 for A,
#: not the lowest high, 4).
FIGURES = {
    "conservative": {"A": 2, "E": 5},
    "highest": {"A": 10, "E": 40},
    "claimant:Group": {"A": 4, "E": 40},
    "claimant:Officials": {"A": 10, "E": 5},
}


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_figures_control_changes_the_painted_marker_sizes(drawn_map, open_map, width, height):
    page, log = open_map(drawn_map, width=width, height=height)
    open_panel(page)
    for mode, figures in FIGURES.items():
        page.select_option(".mapper-figure-select", mode)
        radii = {i: radius_of(figures.get(i)) for i in POINTS}
        assert_drawn(page, set(POINTS), radii)
    assert log.errors == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_zooming_keeps_markers_on_their_places_and_the_window_applied(
    drawn_map, open_map, width, height
):
    page, log = open_map(drawn_map, width=width, height=height)
    open_panel(page)
    set_window(page, *JANUARY)
    radii = {i: radius_of(None) for i in "BCDF"} | {"A": radius_of(2), "E": radius_of(5)}
    start = page.evaluate("window.mapperMap.map.getZoom()")
    if width < 600:
        # On a phone the open panel covers the zoom buttons: fold it, as a reader must.
        page.click(".mapper-panel-toggle")
    # One step with the map's own + button, as a reader would (animated).
    page.evaluate(
        "() => { const m = window.mapperMap.map;"
        " window.__zoomed = new Promise((done) => m.once('zoomend', done)); }"
    )
    page.locator(".leaflet-control-zoom-in").click()
    page.evaluate("() => window.__zoomed.then(() => true)")
    assert page.evaluate("window.mapperMap.map.getZoom()") == start + 1
    assert_drawn(page, {"A", "C", "E"}, radii)
    for zoom in (start + 2, start + 3, start - 1):
        # Centred on Quetta (E), as a reader zooming in on it would be.
        page.evaluate(
            "(z) => void window.mapperMap.map.setView([30.18414, 67.00141], z, {animate: false})",
            zoom,
        )
        assert_drawn(page, {"A", "C", "E"}, radii)
        assert count_text(page).startswith("3 of 6 incidents")
    assert log.errors == []

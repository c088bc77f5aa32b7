"""Finding incidents and moving through time, as a reader sees them (issue 13, items 2 and 3).

The incident list, its sorting and search, rows that open their incident, the hover tooltip,
the chooser of stacked incidents, the histogram with its brush, the date fields and Play; at
1280x800 and at a phone's 390x740, with the network blocked.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from pagetools import click_in_popup, set_window, wait_still

from mapper.render import build_map, incident_spans, save_map

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures" / "maps"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)

EPOCH = np.datetime64("1970-01-01")
SIZES = [(1280, 800), (390, 740)]


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    from mapper.dataset import read_dataset

    out = tmp_path_factory.mktemp("find")
    tiny = factory.tiny_dataset()
    bundled = read_dataset(None)
    paths = {
        "tiny": save_map(build_map(tiny, tiles=None), out / "tiny.html"),
        "bundled": save_map(build_map(bundled, tiles=None), out / "bundled.html"),
    }
    return paths, tiny, bundled


def in_window(dataset, first: str, last: str) -> set[str]:
    """Placed incidents whose dates overlap first..last."""
    inc = dataset.incidents
    start, end = incident_spans(inc)
    lo = (np.datetime64(first) - EPOCH).astype(int)
    hi = (np.datetime64(last) - EPOCH).astype(int)
    mask = (start <= hi) & (end >= lo) & (inc["placement"].to_numpy() == "placed")
    return set(inc.loc[mask, "incident_id"])


def open_list(page) -> None:
    """Open the incident list if it is folded (it is on a phone)."""
    toggle = page.locator(".mapper-list-toggle")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def row_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        ".mapper-list-row", "(rows) => rows.map((r) => r.getAttribute('data-incident'))"
    )


def count_text(page) -> str:
    return page.inner_text(".mapper-list-count")


@pytest.mark.parametrize("size", SIZES)
def test_list_shows_the_incidents_of_the_window_in_view(maps, open_map, size):
    paths, tiny, _ = maps
    page, log = open_map(paths["tiny"], width=size[0], height=size[1])
    open_list(page)
    set_window(page, "2026-01-30", "2026-02-02")
    expected = in_window(tiny, "2026-01-30", "2026-02-02")
    assert set(row_ids(page)) == expected
    assert count_text(page).startswith(f"{len(expected)} in view")
    assert page.inner_text(".mapper-list-toggle") == f"Incidents in view ({len(expected)})"
    # A row reads date, place, type and the marker's figure with its claimant.
    row = page.inner_text('.mapper-list-row[data-incident="T-003"]')
    cells = [c.strip() for c in row.split("\t")]
    assert cells == ["2026-01-31", "Gwadar", "Explosions/Remote violence", "9 (BLA)"]
    # Zoomed in on Quetta, only Quetta's incidents are in view.
    page.evaluate("() => { window.mapperMap.map.setView([30.184, 67.001], 11, {animate: false}); }")
    assert row_ids(page) == ["T-002"]
    assert log.errors == [] and log.blocked == []


@pytest.mark.parametrize("size", SIZES)
def test_list_sorts_by_each_column(maps, open_map, size):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    open_list(page)
    # Latest first by default; a month and a year come after the days of 2026.
    assert row_ids(page)[-2:] == ["T-005", "T-006"]
    page.click('th[data-sort="place"] button')
    places = page.eval_on_selector_all(
        ".mapper-list-row td:nth-child(2)", "(cells) => cells.map((c) => c.textContent)"
    )
    assert places == sorted(places) and places[0] == "Gwadar" and places[-1] == "Turbat"
    assert page.get_attribute('th[data-sort="place"]', "aria-sort") == "ascending"
    page.click('th[data-sort="place"] button')
    assert row_ids(page)[0] == "T-004"  # Turbat first, Z-A
    page.click('th[data-sort="figure"] button')
    # Most killed first: T-002 (ISPR's figures) above T-003 (BLA's 9); those without a figure last.
    assert row_ids(page)[:2] == ["T-002", "T-003"]
    figures = page.eval_on_selector_all(
        ".mapper-list-row td:nth-child(4)", "(cells) => cells.map((c) => c.textContent)"
    )
    assert figures[2:] == ["\u2013"] * (len(figures) - 2)
    page.click('th[data-sort="type"] button')
    types = page.eval_on_selector_all(
        ".mapper-list-row td:nth-child(3)", "(cells) => cells.map((c) => c.textContent)"
    )
    assert types == sorted(types) and types[0] == "Battles"


@pytest.mark.parametrize("size", SIZES)
def test_search_narrows_the_rows(maps, open_map, size):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    open_list(page)
    page.fill(".mapper-search", "port town")  # words of two descriptions
    assert sorted(row_ids(page)) == ["T-003", "T-006"]
    assert "2 matching \u201cport town\u201d" in count_text(page)
    page.fill(".mapper-search", "police")  # an actor
    assert sorted(row_ids(page)) == ["T-005", "T-006"]
    page.fill(".mapper-search", "quetta police")  # every word must be found
    assert row_ids(page) == ["T-005"]
    page.fill(".mapper-search", "no such thing")
    assert row_ids(page) == []
    assert "0 matching" in count_text(page)
    page.fill(".mapper-search", "")
    assert len(row_ids(page)) == 6


@pytest.mark.parametrize("size", SIZES)
def test_a_row_opens_its_incident(maps, open_map, size):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    open_list(page)
    page.click('.mapper-list-row[data-incident="T-004"]')
    page.wait_for_selector('.leaflet-popup-content .mapper-card[data-incident="T-004"]')
    assert "Fighting that went on for two days." in page.inner_text(".leaflet-popup-content")
    wait_still(page)  # the pan that brings the card into the clear
    # The popup is on screen and not under the list.
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    listbox = page.locator(".mapper-list").bounding_box()
    assert popup["y"] >= 0 and popup["y"] + popup["height"] <= size[1]
    apart = (
        popup["y"] + popup["height"] <= listbox["y"] + 1
        or popup["x"] >= listbox["x"] + listbox["width"] - 1
    )
    assert apart, (popup, listbox)


def test_keyboard_reaches_rows_and_opens_them(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    # The fold button is a button: Enter opens the list.
    page.focus(".mapper-list-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute(".mapper-list-toggle", "aria-expanded") == "true"
    page.focus(".mapper-search")
    for _ in range(5):  # the four column headers, then the first row
        page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getAttribute('data-incident')")
    assert first == row_ids(page)[0]
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('data-incident')")
    assert second == row_ids(page)[1]
    page.keyboard.press("Enter")
    page.wait_for_selector(f'.leaflet-popup-content .mapper-card[data-incident="{second}"]')
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=2000)
    # A column header sorts on Enter.
    page.focus('th[data-sort="place"] button')
    page.keyboard.press("Enter")
    assert page.get_attribute('th[data-sort="place"]', "aria-sort") == "ascending"


def test_list_is_open_on_a_large_screen(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=1600, height=900)
    assert page.get_attribute(".mapper-list-toggle", "aria-expanded") == "true"
    assert len(row_ids(page)) == 6


def test_phone_list_is_folded_and_leaves_the_map_visible(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=390, height=740)
    assert page.get_attribute(".mapper-list-toggle", "aria-expanded") == "false"
    assert page.locator(".mapper-list-body").is_hidden()
    page.click(".mapper-list-toggle")
    box = page.locator(".mapper-list").bounding_box()
    # Open, it takes under half of the screen, at the bottom, and stays within it.
    assert box["height"] < 740 / 2
    assert box["y"] > 740 / 2 and box["x"] >= 0 and box["x"] + box["width"] <= 390


def hover(page, incident_id: str, place: str) -> str:
    pt = page.evaluate("(id) => window.mapperMap.screenPoint(id)", incident_id)
    page.mouse.move(pt["x"] + 1, pt["y"] + 1)
    page.wait_for_function(
        "(place) => { const t = document.querySelector('.mapper-hover');"
        " return t && t.style.display !== 'none' && t.innerText.startsWith(place); }",
        arg=place,
    )
    return page.inner_text(".mapper-hover")


@pytest.mark.parametrize("size", SIZES)
def test_hover_names_the_marker(maps, open_map, size):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    set_window(page, "2026-01-30", "2026-02-02")
    text = hover(page, "T-003", "Gwadar")
    assert text.split("\n") == [
        "Gwadar",
        "2026-01-31 \u00b7 Explosions/Remote violence",
        "Marker size: 9 killed (BLA)",
    ]
    text = hover(page, "T-001", "Harnai")
    assert text.split("\n")[0] == "Harnai"
    assert text.split("\n")[2] == "Marker size: no killed figure"
    # Over the title box (no marker), the tooltip goes.
    title = page.locator(".mapper-title").bounding_box()
    page.mouse.move(title["x"] + title["width"] / 2, title["y"] + title["height"] / 2, steps=3)
    page.wait_for_selector(".mapper-hover", state="hidden")


def test_hover_on_a_stack_says_how_many(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    # T-003 (2026) and T-006 (2023) are both at Gwadar.
    assert hover(page, "T-003", "Gwadar").endswith("1 more here: click to choose")
    # A click opens the chooser; while it is open the tooltip stays away, even over a marker.
    pt = page.evaluate("window.mapperMap.screenPoint('T-003')")
    page.mouse.click(pt["x"] + 1, pt["y"] + 1)
    page.wait_for_selector(".mapper-chooser")
    pt = page.evaluate("window.mapperMap.screenPoint('T-003')")
    page.mouse.move(pt["x"], pt["y"] - 1, steps=2)
    page.wait_for_timeout(100)
    assert page.locator(".mapper-hover").is_hidden()


@pytest.mark.parametrize("size", SIZES)
def test_stacked_point_opens_a_chooser_of_all_three_gwadar_incidents(maps, open_map, size):
    paths, _, bundled = maps
    page, log = open_map(paths["bundled"], width=size[0], height=size[1])
    inc = bundled.incidents
    gwadar = set(inc.loc[inc["place"] == "Gwadar", "incident_id"])
    assert len(gwadar) == 3
    # The Gwadar Port site is drawn over them: clicking it offers the three and the port.
    page.locator(".mapper-site-port").click()
    page.wait_for_selector(".mapper-chooser")
    wait_still(page)  # the popup's pan into view, as a reader's eye would
    listed = page.eval_on_selector_all(
        ".mapper-choice[data-incident]", "(bs) => bs.map((b) => b.getAttribute('data-incident'))"
    )
    assert set(listed) == gwadar
    text = page.inner_text(".mapper-chooser")
    assert text.startswith("3 incidents here and a context site: choose one")
    assert "Gwadar Port (port)" in text
    assert text.count("\u00b7 Gwadar \u00b7") == 3
    # A choice opens its card; "back" returns to the list.
    click_in_popup(page, '.mapper-choice[data-incident="herof2-2026-01-31-gwadar"]')
    page.wait_for_selector(
        '.leaflet-popup-content .mapper-card[data-incident="herof2-2026-01-31-gwadar"]'
    )
    click_in_popup(page, ".mapper-back")
    page.wait_for_selector(".mapper-chooser")
    click_in_popup(page, ".mapper-choice[data-site]")
    assert "Deep-sea port" in page.inner_text(".leaflet-popup-content")
    assert log.errors == [] and log.blocked == []


def test_stacked_markers_without_a_site_open_a_chooser(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    pt = page.evaluate("window.mapperMap.screenPoint('T-006')")
    page.mouse.click(pt["x"], pt["y"])
    page.wait_for_selector(".mapper-chooser")
    listed = page.eval_on_selector_all(
        ".mapper-choice[data-incident]", "(bs) => bs.map((b) => b.getAttribute('data-incident'))"
    )
    assert sorted(listed) == ["T-003", "T-006"]
    # Keyboard: the first choice has focus; Enter opens it.
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content .mapper-card")


def bins(page) -> list[dict]:
    return page.eval_on_selector_all(
        ".mapper-hist-bin",
        """(gs) => gs.map((g) => ({
            from: g.getAttribute('data-from'), to: g.getAttribute('data-to'),
            title: g.querySelector('title').textContent,
            fills: Array.from(g.querySelectorAll('rect')).map((r) => r.getAttribute('fill')),
            height: g.getBBox().height,
        }))""",
    )


def test_histogram_draws_bars_stacked_by_type(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["tiny"])
    drawn = bins(page)
    colours = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.mapper-layer'))
            .filter((l) => l.querySelector('.mapper-swatch[style]'))
            .map((l) => [l.querySelector('input').dataset.layer,
                         getComputedStyle(l.querySelector('.mapper-swatch')).backgroundColor]))"""
    )

    def hex_to_rgb(h: str) -> str:
        return f"rgb({int(h[1:3], 16)}, {int(h[3:5], 16)}, {int(h[5:7], 16)})"

    # Every bar is in a layer's colour; the busiest bar holds the 30 Jan - 2 Feb attacks.
    assert {hex_to_rgb(f) for b in drawn for f in b["fills"]} <= set(colours.values())
    tallest = max(drawn, key=lambda b: b["height"])
    assert tallest["from"] <= "2026-01-31" <= tallest["to"]
    assert "Battles" in tallest["title"] and "Explosions/Remote violence 1" in tallest["title"]
    # A year-dated protest (2023) is spread over the bars of 2023, not piled on 1 January.
    protest_bins = [b for b in drawn if "Protests" in b["title"]]
    assert len(protest_bins) >= 10
    assert all(b["from"].startswith("2023") or b["to"].startswith("2023") for b in protest_bins)
    # Hiding a layer removes its bars.
    page.click('input[data-layer="battles"]')
    assert hex_to_rgb("#c0392b") not in {hex_to_rgb(f) for b in bins(page) for f in b["fills"]}


def title_count(page) -> int:
    return int(re.match(r"(\d+) of", page.inner_text(".mapper-count")).group(1))


def window_labels(page) -> tuple[str, str]:
    return page.inner_text(".mapper-from"), page.inner_text(".mapper-to")


@pytest.mark.parametrize("size", SIZES)
def test_brushing_the_histogram_sets_the_window(maps, open_map, size):
    paths, tiny, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    if page.get_attribute(".mapper-panel-toggle", "aria-expanded") == "false":
        page.click(".mapper-panel-toggle")
    box = page.locator(".mapper-hist-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    # Drag over the first three quarters (2023 to late 2025): the 2026 attacks leave the window.
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.4, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=4)
    page.mouse.up()
    first, last = window_labels(page)
    assert first.startswith("2023-01") and last.startswith("2025")
    assert title_count(page) == len(in_window(tiny, first, last))
    assert title_count(page) < 6
    # A click on a bar makes its period the window.
    bar = page.locator(".mapper-hist-bin").last
    expected = (bar.get_attribute("data-from"), bar.get_attribute("data-to"))
    bb = bar.bounding_box()
    page.mouse.click(bb["x"] + bb["width"] / 2, box["y"] + box["height"] - 2)
    assert window_labels(page) == expected
    assert title_count(page) == len(in_window(tiny, *expected))
    assert page.input_value(".mapper-from-date") == expected[0]


@pytest.mark.parametrize("size", SIZES)
def test_date_fields_set_the_window(maps, open_map, size):
    paths, tiny, _ = maps
    page, _ = open_map(paths["tiny"], width=size[0], height=size[1])
    if page.get_attribute(".mapper-panel-toggle", "aria-expanded") == "false":
        page.click(".mapper-panel-toggle")
    page.fill(".mapper-to-date", "2026-01-31")
    page.fill(".mapper-from-date", "2026-01-31")
    assert window_labels(page) == ("2026-01-31", "2026-01-31")
    assert title_count(page) == len(in_window(tiny, "2026-01-31", "2026-01-31"))
    open_list(page)
    assert set(row_ids(page)) == in_window(tiny, "2026-01-31", "2026-01-31")
    # A start after the end moves the end with it.
    page.fill(".mapper-from-date", "2026-02-01")
    assert window_labels(page) == ("2026-02-01", "2026-02-01")
    # The sliders follow the fields.
    day = page.evaluate("Math.round(Date.parse('2026-02-01T00:00:00Z') / 86400000)")
    assert page.input_value(".mapper-from-input") == str(day)


def test_play_runs_in_seconds_and_dwells_on_the_busy_days(maps, open_map):
    paths, _, _ = maps
    page, _ = open_map(paths["bundled"])
    ends = page.evaluate(
        """() => new Promise((done) => {
            const seen = [], t0 = performance.now();
            document.querySelector('.mapper-play').click();
            const poll = setInterval(() => {
                const end = document.querySelector('.mapper-to').textContent;
                if (seen[seen.length - 1] !== end) { seen.push(end); }
                const button = document.querySelector('.mapper-play');
                const playing = button.textContent.includes('Pause');
                if (!playing || performance.now() - t0 > 15000) {
                    clearInterval(poll);
                    done({ends: seen, ms: performance.now() - t0});
                }
            }, 20);
        })"""
    )
    # The whole run takes seconds, and each of the three days of attacks is a frame of its own.
    assert 2000 < ends["ms"] < 10000
    for day in ("2026-01-30", "2026-01-31", "2026-02-01"):
        assert day in ends["ends"]
    assert ends["ends"] == sorted(ends["ends"])

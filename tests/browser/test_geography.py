"""The map's own geography and area layers, as a reader sees them offline (issue 13, items 1, 2, 4).

Every page here opens with the network blocked (see conftest.py); what is
asserted is drawn pixels and page text.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from pagetools import drawn_blobs, screen_point, set_window

from mapper.areas import Areas
from mapper.cli import main
from mapper.dataset import read_dataset
from mapper.render import build_map, incident_spans, save_map

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "balochistan-2026"
ACLED = ROOT / "tests" / "fixtures" / "acled" / "acled_export.csv"
SIZES = [(1280, 800), (390, 740)]
LAND = (0xF3, 0xEF, 0xE6)
SEA = (0xBC, 0xD6, 0xE6)
VOID = (0xD5, 0xD8, 0xDC)
# What lies over the geography: names, incidents, operations, sites, labels.
OVERLAYS = (
    ".leaflet-mapper-names-pane, .leaflet-overlay-pane, .leaflet-marker-pane, .leaflet-tooltip-pane"
)


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    out = tmp_path_factory.mktemp("geography")
    bundled = read_dataset(BUNDLED)
    paths = {
        "bundled": save_map(build_map(bundled, tiles=None), out / "bundled.html"),
        "bundled_osm": save_map(build_map(bundled, tiles="OpenStreetMap"), out / "osm.html"),
    }
    # The command line, as a reader would run it: no tiles at all.
    assert main(["map", str(BUNDLED), "-o", str(out / "none.html"), "--tiles", "none"]) == 0
    paths["cli_none"] = out / "none.html"
    assert main(["import", "acled", str(ACLED), "-o", str(out / "acled")]) == 0
    assert main(["map", str(out / "acled"), "-o", str(out / "acled.html"), "--tiles", "none"]) == 0
    paths["acled"] = out / "acled.html"
    paths["acled_dir"] = out / "acled"
    return paths, bundled


def png_rgb(png: bytes) -> np.ndarray:
    """Decode a screenshot (8-bit RGB or RGBA PNG, not interlaced) into rows of RGB pixels."""
    import struct
    import zlib

    pos, idat, width, height, channels = 8, b"", 0, 0, 3
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int64)
    prev = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, cur = line[0], np.frombuffer(line[1:], dtype=np.uint8).astype(np.int64)
        row = np.zeros(stride, dtype=np.int64)
        for x in range(stride):
            a = row[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[x] = (cur[x] + pred) % 256
        out[y], prev = row, row
    return out.reshape(height, width, channels)[:, :, :3]


def pixel(page, lat: float, lon: float) -> tuple[int, int, int]:
    """The median colour of the 7x7 pixels around a point of the map."""
    p = page.evaluate("([a, b]) => window.mapperMap.map.latLngToContainerPoint([a, b])", [lat, lon])
    box = page.locator(".folium-map").bounding_box()
    png = page.screenshot(
        clip={"x": box["x"] + p["x"] - 3, "y": box["y"] + p["y"] - 3, "width": 7, "height": 7}
    )
    rgb = png_rgb(png).reshape(-1, 3)
    return tuple(int(v) for v in np.median(rgb, axis=0))


def close(a, b, tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def hide(page, selector: str) -> None:
    """Hide a part of the page so a pixel probe sees what lies under it."""
    page.add_style_tag(content=f"{selector} {{ visibility: hidden !important; }}")


def shown_names(page) -> list[str]:
    return page.eval_on_selector_all(
        ".mapper-name:not(.mapper-name-hidden) .mapper-name-text",
        "els => els.map(e => e.textContent)",
    )


def open_panel(page) -> None:
    if not page.is_visible(".mapper-area-select"):
        page.click(".mapper-panel-toggle")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_land_and_sea_are_drawn_offline_and_differ_from_the_void(maps, open_map, width, height):
    paths, _ = maps
    page, log = open_map(paths["bundled"], width=width, height=height)
    assert log.errors == [] and log.blocked == []
    hide(page, OVERLAYS)
    # Kharan's desert (land, away from any line) and the Arabian Sea off Gwadar.
    land, sea = pixel(page, 28.3, 65.0), pixel(page, 24.3, 63.0)
    assert close(land, LAND), land
    assert close(sea, SEA), sea
    assert not close(land, VOID) and not close(sea, VOID)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_place_names_are_page_text_and_never_overlap(maps, open_map, width, height):
    paths, _ = maps
    page, _ = open_map(paths["bundled"], width=width, height=height)
    names = shown_names(page)
    assert "Quetta" in names and "Gwadar" in names
    # Text a screen reader finds, not paint on a canvas.
    assert page.get_by_text("Quetta", exact=True).is_visible()
    boxes = page.eval_on_selector_all(
        ".mapper-name:not(.mapper-name-hidden) .mapper-name-text",
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return [r.left, r.top, r.right, r.bottom]; })",
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # Zooming in shows more names (district headquarters), none of them hidden by another.
    before = len(names)
    page.evaluate("void window.mapperMap.map.setView([27.5, 66.5], 8, {animate: false})")
    page.wait_for_timeout(200)
    assert len(shown_names(page)) > before or "Khuzdar" in shown_names(page)


def test_province_outline_is_drawn_where_two_provinces_meet(maps, open_map):
    paths, _ = maps
    page, _ = open_map(paths["bundled"])
    hide(page, OVERLAYS)
    areas = Areas.bundled()
    border = areas.lookup("Balochistan", level="province").geometry.boundary.intersection(
        areas.lookup("Sindh", level="province").geometry.boundary
    )
    point = border.interpolate(0.5, normalized=True)
    inside = areas.lookup("Kharan", level="district").geometry.representative_point()
    # The darkest of the pixels around the border point is the outline's brown.
    p = page.evaluate(
        "([a, b]) => window.mapperMap.map.latLngToContainerPoint([a, b])", [point.y, point.x]
    )

    def darkest(x, y):
        png = page.screenshot(clip={"x": x - 4, "y": y - 4, "width": 9, "height": 9})
        rgb = png_rgb(png).reshape(-1, 3)
        return rgb.sum(axis=1).min()

    q = page.evaluate(
        "([a, b]) => window.mapperMap.map.latLngToContainerPoint([a, b])", [inside.y, inside.x]
    )
    assert darkest(p["x"], p["y"]) < 400  # #6e6254 sums to 292; the land to 714
    assert darkest(q["x"], q["y"]) > 650


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_area_shading_follows_the_time_window_and_its_legend_gives_the_breaks(
    maps, open_map, width, height
):
    paths, bundled = maps
    page, log = open_map(paths["bundled"], width=width, height=height)
    open_panel(page)
    page.select_option(".mapper-area-select", "districts:incidents")
    # The busiest district, counted here from the incidents' points (exact, near, district).
    inc = bundled.incidents
    precise = inc[inc["location_precision"].isin(["exact", "near", "district"])]
    where = Areas.bundled().locate(precise["latitude"].to_numpy(), precise["longitude"].to_numpy())
    counts = where["district"].value_counts()
    top, most = counts.index[0], int(counts.iloc[0])
    legend = page.inner_text(".mapper-area-legend")
    assert f"Most: {top} {most}" in legend
    classes = page.eval_on_selector_all(".mapper-area-class", "els => els.map(e => e.textContent)")
    assert classes[0] == "none in the window"
    assert classes[1].startswith("1") and re.search(rf"\b{most}$", classes[-1])
    hide(page, OVERLAYS)
    if width < 600:
        page.click(".mapper-panel-toggle")  # the folded panel leaves the map to look at
    centre = Areas.bundled().lookup(top, level="district").geometry.representative_point()
    page.evaluate(
        "([a, b]) => void window.mapperMap.map.setView([a, b], 7, {animate: false})",
        [centre.y, centre.x],
    )
    shaded = pixel(page, centre.y, centre.x)
    assert not close(shaded, LAND), shaded
    # A day on which nothing happened in that district: it is land again, and gone from "Most".
    start, last = incident_spans(inc)
    mine = (where["district"] == top).to_numpy()
    busy = {
        d
        for a, b in zip(
            start[inc.index.isin(precise.index[mine])],
            last[inc.index.isin(precise.index[mine])],
            strict=True,
        )
        for d in range(int(a), int(b) + 1)
    }
    quiet = next(d for d in range(int(start.min()), int(last.max()) + 1) if d not in busy)
    day = str(np.datetime64(quiet, "D"))
    set_window(page, day, day)
    page.wait_for_timeout(100)
    assert close(pixel(page, centre.y, centre.x), LAND)
    assert f"{top} " not in page.inner_text(".mapper-area-top")
    assert log.errors == []


def test_killed_shading_adds_each_incidents_marker_figure_never_two_claims_of_one(maps, open_map):
    paths, _ = maps
    page, _ = open_map(paths["acled"])
    page.select_option(".mapper-area-select", "provinces:killed")
    legend = page.inner_text(".mapper-area-legend")
    # ACLED gives one fatality figure per event: the province's figure is their sum over the
    # events placed within a province (the event located only to its country counts nowhere).
    acled = read_dataset(paths["acled_dir"])
    inc = acled.incidents
    inside = inc[inc["location_precision"].isin(["exact", "near", "district", "province"])]
    claims = acled.claims[acled.claims["incident_id"].isin(inside["incident_id"])]
    killed = claims[claims["outcome"] == "killed"]
    per_incident = (
        killed.groupby(["incident_id", "subject"])["low"].min().groupby("incident_id").sum()
    )
    assert f"Most: Balochistan {int(per_incident.sum())}" in legend
    assert "conservative" in legend


def test_an_indicator_naming_a_province_shades_it(maps, open_map):
    paths, _ = maps
    page, _ = open_map(paths["bundled"])
    options = page.eval_on_selector_all(
        ".mapper-area-select option", "els => els.map(e => e.textContent)"
    )
    choice = next(o for o in options if o.startswith("Multidimensional poverty rate"))
    page.select_option(".mapper-area-select", label=choice)
    assert "Most: Balochistan 71.2 percent" in page.inner_text(".mapper-area-legend")


def test_tiles_none_makes_no_request_and_credits_the_boundaries(maps, open_map):
    paths, _ = maps
    page, log = open_map(paths["cli_none"])
    page.wait_for_timeout(300)
    assert log.blocked == []
    assert page.locator('input[data-background="tiles"]').count() == 0
    credits = page.inner_text(".mapper-attribution")
    assert "OCHA / WFP, COD-AB Pakistan 2022" in credits and "Natural Earth" in credits
    assert "OpenStreetMap" not in page.content()


def test_tiles_load_only_when_chosen_and_are_credited_only_then(maps, open_map):
    paths, _ = maps
    page, log = open_map(paths["bundled_osm"])
    page.wait_for_timeout(300)
    assert log.blocked == []
    assert page.locator(".mapper-tile-credit").count() == 0
    page.check('input[data-background="tiles"]')
    page.wait_for_timeout(300)
    assert log.blocked and all("tile.openstreetmap.org" in u for u in log.blocked)
    assert "OpenStreetMap contributors" in page.inner_text(".mapper-tile-credit")
    page.check('input[data-background="built-in"]')
    assert page.locator(".mapper-tile-credit").count() == 0


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_an_imported_acled_table_gets_land_and_names_too(maps, open_map, width, height):
    paths, _ = maps
    page, log = open_map(paths["acled"], width=width, height=height)
    assert log.errors == [] and log.blocked == []
    assert {"Quetta", "Turbat"} & set(shown_names(page))
    hide(page, OVERLAYS)
    assert close(pixel(page, 28.3, 65.0), LAND)


@pytest.fixture(scope="module")
def own_areas_map(tmp_path_factory):
    """A map drawn with the user's own districts (two made-up ones in eastern Iran)."""
    import geopandas as gpd
    from shapely.geometry import box

    out = tmp_path_factory.mktemp("own_areas")
    gpd.GeoDataFrame(
        {"NAME_2": ["Westa", "Esta"], "NAME_1": ["Sistan Test", "Sistan Test"]},
        geometry=[box(60.0, 29.0, 60.5, 29.5), box(60.5, 29.0, 61.0, 29.5)],
        crs="EPSG:4326",
    ).to_file(out / "districts.geojson", engine="pyogrio")
    (out / "places.csv").write_text(
        "name,kind,country,latitude,longitude\n"
        "Dashtak,village,IR,29.25,60.75\nDashtak,village,IR,29.25,60.25\n"
        "Kalagan,village,IR,29.1,60.9\n",
        encoding="utf-8",
    )
    (out / "incidents.csv").write_text(
        "incident_id,date,place,district,country,event_type,sub_event_type,status\n"
        "i1,2026-01-31,Dashtak,Esta,IR,Battles,Armed clash,reported\n"
        "i2,2026-02-01,Dashtak,Westa,IR,Protests,Peaceful protest,reported\n"
        "i3,2026-02-02,Kalagan,Esta,IR,Battles,Armed clash,reported\n",
        encoding="utf-8",
    )
    argv = ["map", str(out / "incidents.csv"), "--gazetteer", str(out / "places.csv"),
            "--boundaries", str(out / "districts.geojson"), "--boundary-name-column", "NAME_2",
            "--boundary-parent-column", "NAME_1", "--tiles", "none",
            "-o", str(out / "own.html")]  # fmt: skip
    assert main(argv) == 0
    return out / "own.html"


def _name_box(page, text: str) -> list[float] | None:
    return page.evaluate(
        """(t) => {
            for (const n of document.querySelectorAll(".mapper-name:not(.mapper-name-hidden)")) {
                const s = n.querySelector(".mapper-name-text");
                if (s.textContent === t) {
                    const r = s.getBoundingClientRect();
                    return [r.left, r.top, r.right, r.bottom];
                }
            }
            return null;
        }""",
        text,
    )


def test_the_users_districts_are_drawn_and_names_give_way_to_markers(own_areas_map, open_map):
    page, log = open_map(own_areas_map)
    assert log.errors == []
    # The outline between Westa and Esta (lon 60.5) is drawn, between the two Dashtaks.
    x, y = screen_point(page, 29.35, 60.5)
    rgb = png_rgb(page.locator(".leaflet-container").screenshot())
    strip = rgb[round(y), round(x) - 3 : round(x) + 4]
    assert min(int(p.sum()) for p in strip) < sum(LAND) - 90, strip
    # The province's name would sit on the Esta marker (its outline's centre): hidden.
    blobs = drawn_blobs(page)
    assert len(blobs) == 3
    assert _name_box(page, "Sistan Test") is None
    # With that incident out of the time window, the name shows, and covers no marker.
    set_window(page, "2026-02-01", "2026-02-02")
    shown = _name_box(page, "Sistan Test")
    assert shown is not None
    for b in drawn_blobs(page):
        inside = shown[0] <= b["x"] <= shown[2] and shown[1] <= b["y"] <= shown[3]
        assert not inside, (shown, b)

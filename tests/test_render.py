"""The map page: self-contained, deterministic, data only as escaped JSON, the CLI around it."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mapper.cli import main
from mapper.errors import UsageError
from mapper.render import build_map, incident_spans, map_payload, save_map, script_json
from mapper.render.assets import PAGE_SCRIPTS
from mapper.schema import GEONAMES_ATTRIBUTION

FIXTURES = Path(__file__).parent / "fixtures" / "maps"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)

DATA_BLOCK = re.compile(r'<script type="application/json" id="mapper-data">(.*?)</script>', re.S)


def render(dataset=None, **kwargs) -> str:
    kwargs.setdefault("tiles", None)
    return build_map(dataset or factory.tiny_dataset(), **kwargs).get_root().render()


def data_of(html: str) -> dict:
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1, "the page should hold exactly one data block"
    return json.loads(blocks[0])


def decode(payload: dict, table: str, key: str) -> list:
    strings = payload["strings"]
    return [None if c < 0 else strings[c] for c in payload[table][key]]


# --- one self-contained file --------------------------------------------------


@pytest.mark.parametrize("tiles", [None, "none", "OpenStreetMap", "OpenTopoMap"])
def test_page_loads_no_script_or_stylesheet_from_anywhere(tiles):
    html = render(tiles=tiles)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", html, re.I)
    assert "cdn.jsdelivr" not in html and "bootstrap" not in html.lower()
    # Leaflet itself is inlined (its version banner is in the minified file).
    assert "Leaflet 1.9.3" in html
    assert "window.mapperInit" in html


def test_tiles_none_offers_no_tiles_and_a_named_provider_is_offered():
    geography = re.compile(r'id="mapper-geography">(.*?)</script>', re.S)
    assert json.loads(geography.search(render(tiles=None)).group(1))["tiles"] is None
    osm = render(tiles="OpenStreetMap")
    tiles = json.loads(geography.search(osm).group(1))["tiles"]
    assert tiles["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "tile.openstreetmap.org" not in render(tiles="none")


def test_unknown_tile_provider_is_a_usage_error():
    with pytest.raises(
        UsageError, match=r"--tiles should be a tile provider name.*'no-such-tiles'"
    ):
        build_map(factory.tiny_dataset(), tiles="no-such-tiles")


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path):
    a = save_map(build_map(factory.tiny_dataset(), tiles="OpenStreetMap"), tmp_path / "a.html")
    b = save_map(build_map(factory.tiny_dataset(), tiles="OpenStreetMap"), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    # No random element ids survive (branca's default ids are uuid4 hex).
    assert not re.search(r"_[0-9a-f]{32}\b", a.read_text())


def test_data_is_serialised_once_for_all_layers():
    html = render()
    description = "Fighting that went on for two days."
    assert html.count(description) == 1
    assert len(DATA_BLOCK.findall(html)) == 1


# --- what the data block holds -------------------------------------------------


def test_every_incident_is_in_the_page_placed_or_listed_as_unplaced():
    payload = data_of(render())
    inc = payload["incidents"]
    placed = dict(zip(inc["id"], inc["placed"], strict=True))
    assert placed == {
        "T-001": 1,
        "T-002": 1,
        "T-003": 1,
        "T-004": 1,
        "T-005": 1,
        "T-006": 1,
        "T-007": 0,
    }
    reasons = dict(zip(inc["id"], decode(payload, "incidents", "reason"), strict=True))
    assert reasons["T-007"] == "place name not found in the gazetteer"


def test_coordinates_are_kept_to_about_a_metre():
    payload = data_of(render())
    i = payload["incidents"]["id"].index("T-002")
    assert payload["incidents"]["lat"][i] == 3018414
    assert payload["incidents"]["lon"][i] == 6700141


def test_claims_stay_separate_and_trace_to_their_rows():
    payload = data_of(render())
    claims = payload["claims"]
    inc_ids = payload["incidents"]["id"]
    ops = payload["operations"]["key"]
    rows = {
        cid: (
            inc_ids[i] if i >= 0 else None,
            ops[o] if o >= 0 else None,
            who,
            low,
            high,
        )
        for cid, i, o, who, low, high in zip(
            claims["id"],
            claims["inc"],
            claims["op"],
            decode(payload, "claims", "claimant"),
            claims["low"],
            claims["high"],
            strict=True,
        )
    }
    assert rows["C-01"] == ("T-002", None, "ISPR", 41, None)
    assert rows["C-03"] == ("T-002", None, "BLA", 84, 94)
    assert rows["C-06"] == (None, "OP-STORM", "ISPR", 145, None)
    assert len(rows) == 6
    claimants = [payload["strings"][c] for c in payload["claimants"]]
    assert claimants == ["BLA", "ISPR"]


def test_operation_outline_holds_its_placed_incidents():
    payload = data_of(render())
    ops = payload["operations"]
    storm = ops["key"].index("OP-STORM")
    hull = {tuple(p) for p in ops["hull"][storm]}
    # Quetta, Gwadar and Turbat; the unplaced member adds no point.
    assert hull == {(30.18414, 67.00141), (25.12163, 62.32541), (26.00122, 63.04849)}
    raids = ops["key"].index("OP-RAIDS")
    assert ops["hull"][raids] == [[30.10077, 67.93824]]


def test_context_sites_and_indicators_reach_the_page():
    payload = data_of(render())
    sites = dict(
        zip(decode(payload, "sites", "name"), decode(payload, "sites", "prec"), strict=True)
    )
    assert sites == {"Reko Diq Mine": "exact", "Gwadar Port": "near"}
    assert decode(payload, "indicators", "value") == ["71.2", None]
    assert decode(payload, "indicators", "low") == [None, "42"]


def test_attribution_credits_geonames_and_every_dataset_source():
    ds = factory.tiny_dataset()
    ds.attribution = ["Source A", "Source B", "Source A"]
    assert data_of(render(ds))["attribution"] == ["Source A", "Source B", GEONAMES_ATTRIBUTION]


def test_title_defaults_to_the_dataset_name_and_can_be_given():
    assert data_of(render())["title"] == "Tiny test map"
    html = render(title="My <own> title")
    assert data_of(html)["title"] == "My <own> title"
    assert "<title>My &lt;own&gt; title</title>" in html


# --- time window -----------------------------------------------------------------


def test_incident_spans_cover_the_whole_period_a_date_names():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-03-01", "2023-01-01", "2026-01-31", "2026-01-26"]),
            "date_end": pd.to_datetime([None, None, "2026-02-02", None]),
            "date_precision": ["month", "year", "day", "week"],
        }
    )
    start, last = incident_spans(frame)
    day = lambda s: (np.datetime64(s) - np.datetime64("1970-01-01")).astype(int)  # noqa: E731
    assert start.tolist() == [
        day("2025-03-01"),
        day("2023-01-01"),
        day("2026-01-31"),
        day("2026-01-26"),
    ]
    assert last.tolist() == [
        day("2025-03-31"),
        day("2023-12-31"),
        day("2026-02-02"),
        day("2026-02-01"),
    ]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2026-01-31", "2026-01-31", ["T-002", "T-003", "T-004", "T-007"]),
        ("2026-02-01", None, ["T-004"]),
        (None, "2025-12-31", ["T-006", "T-005"]),
        ("2025-03-15", "2025-03-20", ["T-005"]),  # month precision covers all of March
        ("2023-06-01", "2023-06-01", ["T-006"]),  # year precision covers all of 2023
    ],
)
def test_since_and_until_keep_exactly_the_incidents_overlapping_the_window(since, until, expected):
    payload = map_payload(factory.tiny_dataset(), since=since, until=until)
    assert payload["incidents"]["id"] == expected


def test_a_window_keeps_only_the_claims_and_texts_of_its_incidents():
    payload = map_payload(factory.tiny_dataset(), since="2023-01-01", until="2023-12-31")
    assert payload["claims"]["id"] == []
    assert "Coordinated attack in the provincial capital." not in payload["strings"]
    assert payload["range"] == [
        (np.datetime64("2023-01-01") - np.datetime64("1970-01-01")).astype(int),
        (np.datetime64("2023-12-31") - np.datetime64("1970-01-01")).astype(int),
    ]


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("31/01/2026", None, r"--since should be a date as YYYY-MM-DD, got '31/01/2026'"),
        (None, "2026-02-30", r"--until should be a date as YYYY-MM-DD, got '2026-02-30'"),
        ("2026-02-01", "2026-01-01", r"--since should not be after --until"),
    ],
)
def test_bad_windows_are_usage_errors(since, until, message):
    with pytest.raises(UsageError, match=message):
        map_payload(factory.tiny_dataset(), since=since, until=until)


# --- text safety (issue 6 item 1) ---------------------------------------------------


@pytest.mark.parametrize("text", [*factory.PAYLOADS, "a\u2028b\u2029c"])
def test_script_json_cannot_close_the_script_element(text):
    out = script_json({"t": text})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"t": text}


#: Beyond ASCII: Latin-1, a macron, an en dash, CJK, and one beyond U+FFFF (a surrogate pair).
_WIDE = ("Ren\u00e9", "Th\u0101ne", "0\u20131", "\u5317\u4eac", "flag \U0001f1f5\U0001f1f0")


def test_script_json_escapes_the_few_characters_beyond_ascii_as_json_does():
    doc = {"strings": [*_WIDE, "plain"], "t": "Kalyan \u00b7 Kaly\u0101n\u2028"}
    out = script_json(doc)
    assert out.isascii()
    assert json.loads(out) == doc
    # The very escapes the standard library writes, surrogate pairs included.
    assert '"0\\u20131"' in out and "\\ud83c\\uddf5\\ud83c\\uddf0" in out


@pytest.mark.parametrize("runs", [3, 4])
def test_script_json_leaves_text_mostly_beyond_ascii_as_it_is(monkeypatch, runs):
    import mapper.render.payload as payload_module

    monkeypatch.setattr(payload_module, "_FEW_RUNS", 3)
    # Each text is one run of characters beyond ASCII; one holds a line separator.
    doc = {"strings": ["\u062d\u0645\u0644\u06c1\u2028", *["\u06a9\u0648"] * (runs - 1)]}
    out = script_json(doc)
    assert json.loads(out) == doc
    assert "\u2028" not in out  # never, escaped or not
    assert out.isascii() is (runs <= 3)


def test_a_saved_page_is_ascii_when_its_data_has_a_few_wide_characters(tmp_path):
    incidents = factory.tiny_dataset().incidents.copy()
    incidents["place"] = [_WIDE[i % len(_WIDE)] for i in range(len(incidents))]
    dataset = factory.tiny_dataset(incidents=pd.DataFrame(incidents.drop(columns="geometry")))
    html = save_map(build_map(dataset, tiles=None), tmp_path / "m.html").read_text("utf-8")
    assert html.isascii()  # the page's own scripts and styles too
    assert set(_WIDE) <= set(data_of(html)["strings"])


def test_hostile_text_reaches_the_page_only_as_escaped_json():
    html = render(factory.hostile_dataset())
    for dangerous in ("<script>window.__pwned", "<img src=x", "<svg onload", "<b>bold"):
        assert dangerous not in html
    payload = data_of(html)
    # The text survives exactly as written, including template syntax.
    assert set(factory.PAYLOADS) <= set(payload["strings"])
    assert "{{ 7*7 }}" in html and "49 {%" not in html
    assert payload["title"] == factory.PAYLOADS[1]
    assert "<title>&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;</title>" in html


def test_every_script_file_of_the_page_is_inlined_once():
    templates = Path(__file__).parents[1] / "mapper" / "render" / "templates"
    assert sorted(p.name for p in templates.glob("*.js")) == sorted(PAGE_SCRIPTS)
    html = render()
    for name in PAGE_SCRIPTS:
        assert html.count(f"/* {name}: ") == 1


def test_the_page_script_never_uses_innerhtml():
    templates = Path(__file__).parents[1] / "mapper" / "render" / "templates"
    for name in PAGE_SCRIPTS:
        js = (templates / name).read_text()
        assert (
            "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
        )


# --- saving ------------------------------------------------------------------------


def test_save_map_writes_a_readable_file(tmp_path):
    out = save_map(build_map(factory.tiny_dataset(), tiles=None), tmp_path / "sub" / "m.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failed_save_leaves_the_existing_map_and_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old map")
    m = build_map(factory.tiny_dataset(), tiles=None)

    import mapper.files

    def interrupted(src, dst):
        raise OSError("interrupted before the rename")

    monkeypatch.setattr(mapper.files.os, "replace", interrupted)
    with pytest.raises(OSError, match="interrupted before the rename"):
        save_map(m, target)
    monkeypatch.undo()
    assert target.read_text() == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


# --- scale ----------------------------------------------------------------------------


def test_a_large_synthetic_dataset_builds_into_compact_columns():
    ds = factory.synthetic_dataset(20_000)
    payload = map_payload(ds)
    assert len(payload["incidents"]["id"]) == 20_000
    # Repeated texts are stored once: the string table (places, districts, actors, claimants,
    # figures as stated...) is tiny next to the 20,000 rows, not a text per row.
    assert len(payload["strings"]) < 400
    assert len(payload["claims"]["id"]) == len(ds.claims)


# --- the command line ---------------------------------------------------------------


def test_map_command_writes_the_map_and_reports_counts(tmp_path, capsys):
    out = tmp_path / "m.html"
    code = main(["map", str(FIXTURES / "tiny"), "-o", str(out), "--tiles", "none"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"Map written to {out}: 7 incidents (6 placed, 1 listed as unplaced)" in captured.out
    assert "6 claims, 2 operations, 2 sites" in captured.out
    assert re.search(r"\d+ rows: \d+ placed, 1 kept but unplaced, 0 rejected", captured.err)
    assert data_of(out.read_text())["title"]


def test_map_command_window_and_title(tmp_path, capsys):
    out = tmp_path / "m.html"
    code = main(
        [
            "map",
            str(FIXTURES / "tiny"),
            "-o",
            str(out),
            "--tiles",
            "none",
            "--since",
            "2026-01-30",
            "--title",
            "Weekend",
        ]
    )
    assert code == 0
    payload = data_of(out.read_text())
    assert payload["title"] == "Weekend"
    assert payload["incidents"]["id"] == ["T-001", "T-002", "T-003", "T-004", "T-007"]
    assert "(2 outside --since/--until left out)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since should be a date as YYYY-MM-DD, got 'yesterday'"),
        (["--tiles", "nowhere"], "--tiles should be a tile provider name"),
    ],
)
def test_a_failed_map_command_says_why_and_leaves_the_old_map(tmp_path, capsys, args, message):
    out = tmp_path / "m.html"
    out.write_text("old map")
    code = main(["map", str(FIXTURES / "tiny"), "-o", str(out), *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert out.read_text() == "old map"


def test_missing_dataset_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["map", str(tmp_path / "nope"), "-o", str(tmp_path / "m.html")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mapper: error:") and "Traceback" not in err
    assert not (tmp_path / "m.html").exists()
    # The command pauses garbage collection while it reads; a failed read turns it back on.
    assert gc.isenabled()


def test_importing_the_cli_does_not_load_the_map_stack():
    code = (
        "import sys, mapper.cli; "
        "print(sorted(m for m in ('folium', 'geopandas', 'mapper.render') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

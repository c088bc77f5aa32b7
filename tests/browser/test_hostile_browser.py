"""Hostile text in every field of a dataset never runs in the map page (issue 6, item 1).

Every text field (place, actors, description, quotes, sources, claimants, the
names and descriptions of operations, site names, indicator texts, the event
type shown in the legend, the dataset's title and attribution) carries its own
payload: script elements, a script-closing sequence, event-handler attributes,
``javascript:`` links, template syntax, quote-breaking strings and U+2028. Each
payload would set ``window.__pwned`` (or open a dialog) if it ran. The test opens
every popup and every panel, round-trips the state through the URL fragment, and
asserts that nothing ran, no element came from the data, and each text reads as
written.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from mapper.render import build_map, save_map

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures" / "maps"
_spec = importlib.util.spec_from_file_location("maps_factory", FIXTURES / "maps_factory.py")
factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(factory)

# {n} makes each field's payload its own, so that the text found can be traced to its field.
TEMPLATES = (
    "<script>window.__pwned={n}</script>",
    "</script><script>window.__pwned={n}</script>",
    '<img src=x onerror="window.__pwned={n};alert({n})">',
    "<svg onload=window.__pwned={n}>",
    "javascript:window.__pwned={n}",
    "{{{{ 7*7 }}}} {{% raw %}} ${{window.__pwned={n}}} #{n}",
    "'\";window.__pwned={n};//\u2028\u2029<b>{n}</b>",
)


def payload(n: int) -> str:
    return TEMPLATES[n % len(TEMPLATES)].format(n=n)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "tiny" / name, dtype=str, keep_default_na=False).replace("", None)


def hostile_everywhere() -> tuple[object, dict[str, str]]:
    """The tiny dataset with a distinct payload in every text field; also the payloads by field."""
    shown: dict[str, str] = {}
    counter = iter(range(100, 10_000))

    def fill(frame: pd.DataFrame, table: str, columns: list[str]) -> None:
        for col in columns:
            values = []
            for r in range(len(frame)):
                text = payload(next(counter))
                values.append(text)
                shown[f"{table}.{col}[{r}]"] = text
            frame[col] = values

    inc = _read("incidents.csv")
    fill(inc, "incidents", ["place", "actor1", "actor2", "description", "sub_event_type"])
    # Sources: a javascript: link beside a real one; only the real one may become a link.
    inc["sources"] = [f"{payload(7 * r + 4)} https://example.org/r{r}" for r in range(len(inc))]
    # An event type nobody knows goes into the legend as a layer of its own.
    inc.loc[5, "event_type"] = "<b onmouseover=window.__pwned=99>Riots</b>"
    claims = _read("claims.csv")
    fill(claims, "claims", ["claimant", "quote", "source"])
    claims["subject"] = "security forces"
    claims["outcome"] = "killed"
    claims["low"] = pd.to_numeric(claims["low"]).astype("Int64")
    claims["high"] = pd.to_numeric(claims["high"]).astype("Int64")
    ops = _read("operations.csv")
    fill(ops, "operations", ["name", "actor", "description", "sources"])
    sites = _read("sites.csv")
    fill(sites, "sites", ["name", "description", "sources"])
    sites["place"] = payload(90)  # not shown on the map, but must not run either
    ind = _read("indicators.csv")
    fill(ind, "indicators", ["area", "indicator", "note", "source"])
    title = payload(1)
    attribution = [payload(2), "javascript:window.__pwned=3", payload(5)]
    dataset = factory.dataset_from_tables(
        inc,
        claims,
        operations=ops,
        sites=sites,
        indicators=ind,
        name=title,
        attribution=attribution,
    )
    shown["title"] = title
    shown["attribution"] = attribution[0]
    return dataset, shown


def _norm(text: str) -> str:
    # The page may show U+2028/U+2029 and runs of spaces as line breaks.
    return re.sub(r"[\s\u2028\u2029]+", " ", text).strip()


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    dataset, shown = hostile_everywhere()
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    save_map(build_map(dataset, tiles=None), path)
    return path, dataset, shown


_CENTRE_ON = """(target) => {
    // Centre the map on an incident (by id) or the n-th operation's disc, without animation.
    const view = window.mapperMap, m = view.map;
    m.closePopup();
    m.stop();  // end any pan a popup started, or it moves the map after we centre
    let ll = null;
    if (typeof target === "string") {
        const p = view.screenPoint(target);
        if (p !== null) { ll = m.containerPointToLatLng([p.x, p.y]); }
    } else {
        const discs = [];  // each operation's disc, drawn at its centre
        m.eachLayer((l) => {
            if (l instanceof L.CircleMarker && !(l instanceof L.Circle) &&
                l.options.dashArray === "3 3") { discs.push(l.getLatLng()); }
        });
        ll = discs[target] || null;
    }
    if (ll !== null) { m.setView(ll, 8, {animate: false}); }
    return ll !== null;
}"""
_CLICK_CENTRE = """([dy, choose]) => {
    // A click at the centre (or dy pixels below it) goes through the page's own handler.
    const m = window.mapperMap.map, c0 = m.latLngToContainerPoint(m.getCenter());
    const cp = L.point(c0.x, c0.y + dy), ll = m.containerPointToLatLng(cp);
    m.fire("click", {latlng: ll, containerPoint: cp, layerPoint: m.latLngToLayerPoint(ll)});
    // Stacked incidents open a chooser: choose the incident wanted.
    const pick = [...document.querySelectorAll(".mapper-choice")]
        .find((b) => b.getAttribute("data-incident") === choose);
    if (pick) { pick.click(); }
    const c = document.querySelector(".leaflet-popup-content");
    if (c === null) { return null; }
    // Every fold opened, as a reader reading everything would.
    c.querySelectorAll("details").forEach((d) => { d.open = true; });
    window.__links = (window.__links || []).concat(
        [...c.querySelectorAll("a")].map((a) => a.getAttribute("href")));
    return c.innerText;
}"""


def _click(page, target: str | int, expect: str, *, dy: tuple[int, ...] = (0,)) -> str | None:
    if not page.evaluate(_CENTRE_ON, target):
        return None
    text = None
    for attempt in range(20):  # the canvas redraws a frame or two after the view changes
        page.wait_for_timeout(50)
        page.evaluate("void window.mapperMap.map.closePopup()")
        # An opening popup pans the map to fit: centre on the target again before each try.
        page.evaluate(_CENTRE_ON, target)
        choose = target if isinstance(target, str) else None
        text = page.evaluate(_CLICK_CENTRE, [dy[attempt % len(dy)], choose])
        if text is not None and expect in text:
            break
    return text


def _open_every_popup(page, op_names: list[str], unreachable: list[int]) -> str:
    # The panel first (legend, indicators, unplaced list, credits), all sections open.
    for details in page.locator("details").all():
        details.evaluate("(d) => { d.open = true; }")
    seen = [page.inner_text("body")]
    previous = None
    for marker in page.locator(".mapper-site").all():
        page.evaluate("void window.mapperMap.map.closePopup()")
        marker.evaluate("(m) => m.click()")
        # A site over incidents opens a chooser: choose the site.
        page.evaluate("() => document.querySelector('.mapper-choice[data-site]')?.click()")
        for _ in range(20):  # until this site's popup has replaced the last one
            page.wait_for_timeout(50)
            found = page.locator(".leaflet-popup-content")
            text = found.inner_text() if found.count() == 1 else None
            if text and text != previous:
                break
        seen.append(text or "")
        previous = text
    incident_ids = page.evaluate("window.mapperMap.visibleIds()")
    texts = [_click(page, i, f"Incident\t{i}") for i in incident_ids]
    assert all(f"Incident\t{i}" in t for i, t in zip(incident_ids, texts, strict=True)), texts
    # Operations: a click within an operation's area, beside any incident drawn on
    # its disc (a few km off the centre), opens the operation's card.
    ops = page.evaluate("document.querySelectorAll('.mapper-op-tooltip').length")
    assert ops == len(op_names) == 2
    for k, name in enumerate(op_names):
        token = re.search(r"__pwned=\d+", name).group()  # this operation's card, not another's
        found = [_click(page, n % ops, token, dy=(0, 8, 14, -8)) for n in range(2 * ops)]
        card = next((t for t in found if t and token in t and "in the time window" in t), None)
        if card is None:
            # Known limit of the page: an operation whose only incident sits on its
            # disc cannot be clicked apart from that incident. Its name still shows
            # (label, incident card); its other fields are checked for not running only.
            unreachable.append(k)
        else:
            texts.append(card)
    assert len(unreachable) < len(op_names)
    return "\n".join(seen + texts)


def _pwned(page, dialogs: list[str]) -> object:
    return page.evaluate("window.__pwned"), list(dialogs)


def test_no_payload_in_any_field_runs_and_every_text_reads_as_written(hostile_map, open_map):
    path, dataset, shown = hostile_map
    shown = dict(shown)
    page, log = open_map(path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    unreachable: list[int] = []
    seen = _open_every_popup(page, list(dataset.operations["name"]), unreachable)
    page.wait_for_timeout(150)
    assert _pwned(page, dialogs) == (None, [])
    # No element, attribute or link came from the data.
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload], b').length") == 0
    assert (
        page.evaluate("[...document.querySelectorAll('[onerror],[onload],[onmouseover]')].length")
        == 0
    )
    # Links: Leaflet's own ("#", "#close") and the data's http(s) ones, never javascript:.
    hrefs = page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
        ".concat(window.__links)"
    )
    assert all(h and h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs
    assert any(re.fullmatch(r"https://example\.org/r\d", h) for h in hrefs), hrefs
    # Each field's text is on the page exactly as written.
    text = _norm(seen)
    for k in unreachable:
        for col in ("actor", "description", "sources"):
            shown.pop(f"operations.{col}[{k}]")
    missing = {field: value for field, value in shown.items() if _norm(value) not in text}
    assert missing == {}
    assert "<b onmouseover=window.__pwned=99>Riots</b>" in text
    assert log.errors == []


def test_a_hostile_claimant_survives_the_url_fragment_as_text(hostile_map, open_map):
    path, dataset, _ = hostile_map
    page, log = open_map(path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    claimant = str(dataset.claims["claimant"].iloc[0])
    page.select_option(".mapper-figure-select", f"claimant:{claimant}")
    fragment = page.evaluate("location.hash.slice(1)")
    again, log2 = open_map(path, fragment=fragment)
    again.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert again.evaluate("window.mapperMap.state()")["figures"] == f"claimant:{claimant}"
    assert again.input_value(".mapper-figure-select") == f"claimant:{claimant}"
    # A fragment written by an attacker: ignored, and nothing runs.
    evil = (
        "fig=claimant:%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D7%3E"
        "&hide=%3Csvg%20onload%3Dwindow.__pwned%3D8%3E&from=javascript:window.__pwned=9"
    )
    third, log3 = open_map(path, fragment=evil)
    third.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    third.wait_for_timeout(150)
    for p in (page, again, third):
        assert p.evaluate("window.__pwned") is None
    assert third.evaluate("window.mapperMap.state()")["figures"] == "conservative"
    assert dialogs == []
    assert log.errors == log2.errors == log3.errors == []

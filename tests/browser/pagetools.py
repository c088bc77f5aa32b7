"""Helpers the browser tests share: driving the map page as a reader would."""

from __future__ import annotations


def set_window(page, first: str, last: str) -> None:
    """Move both ends of the time window to the days ``first`` and ``last`` (YYYY-MM-DD)."""
    page.evaluate(
        """([a, b]) => {
            const day = (s) => String(Math.round(Date.parse(s + "T00:00:00Z") / 86400000));
            const from = document.querySelector(".mapper-from-input");
            const to = document.querySelector(".mapper-to-input");
            to.value = day(b); to.dispatchEvent(new Event("input"));
            from.value = day(a); from.dispatchEvent(new Event("input"));
        }""",
        [first, last],
    )


#: Reads back what the incident canvas painted: every connected patch of painted
#: pixels (alpha above a faint anti-aliasing edge), in CSS pixels of the map container.
_BLOBS_JS = """() => {
    const c = document.querySelector("canvas.mapper-canvas");
    const w = c.width, h = c.height, dpr = w / c.clientWidth;
    const d = c.getContext("2d").getImageData(0, 0, w, h).data;
    const seen = new Uint8Array(w * h), blobs = [];
    for (let p = 0; p < w * h; p++) {
        if (seen[p] || d[4 * p + 3] < 40) { continue; }
        const stack = [p];
        seen[p] = 1;
        let n = 0, sx = 0, sy = 0, x0 = w, x1 = 0, y0 = h, y1 = 0;
        while (stack.length) {
            const q = stack.pop(), x = q % w, y = (q - x) / w;
            n++; sx += x; sy += y;
            x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
            for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]]) {
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) { continue; }
                const r = ny * w + nx;
                if (!seen[r] && d[4 * r + 3] >= 40) { seen[r] = 1; stack.push(r); }
            }
        }
        const cx = Math.round(sx / n), cy = Math.round(sy / n), k = 4 * (cy * w + cx);
        blobs.push({
            x: (sx / n + 0.5) / dpr, y: (sy / n + 0.5) / dpr,
            width: (x1 - x0 + 1) / dpr, height: (y1 - y0 + 1) / dpr, pixels: n,
            rgb: [d[k], d[k + 1], d[k + 2]], alpha: d[k + 3],
        });
    }
    return blobs;
}"""


def drawn_blobs(page) -> list[dict]:
    """Return the patches of paint on the incident canvas: centre, size and centre colour.

    Read from the canvas's pixels (``getImageData``), not from the page's filter
    model: a marker counts only if it was painted.
    """
    return page.evaluate(_BLOBS_JS)


def screen_point(page, lat: float, lon: float) -> tuple[float, float]:
    """Return where ``(lat, lon)`` is in the map container, by Leaflet's projection."""
    p = page.evaluate(
        "([lat, lon]) => { const p = window.mapperMap.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    return p[0], p[1]


#: True when the map is not moving: no pan (a popup's auto-pan is one) and no zoom.
_STILL_JS = (
    "() => { const m = window.mapperMap.map;"
    " return !(m._panAnim && m._panAnim._inProgress) && !m._animatingZoom; }"
)


def wait_still(page) -> None:
    """Wait until the map stops moving, as a reader's eye would before clicking.

    A popup pans the map to bring itself into view. Playwright reads a button's
    place, then clicks there: a click inside a popup still panning can land on
    whatever has moved under that point (once in CI, a chooser's list instead
    of its second line, so no card opened).
    """
    page.wait_for_function(_STILL_JS)


def click_in_popup(page, selector: str) -> None:
    """Click ``selector`` inside the open popup once the map is still."""
    target = f".leaflet-popup-content {selector}"
    page.wait_for_selector(target)
    wait_still(page)
    page.click(target)
    wait_still(page)


def open_popup(page, incident_id: str | None = None, operation: str | None = None) -> str:
    """Open an incident's card (click its marker) or an operation's (its disc); return its text.

    The point is first brought into the clear part of the screen (left of the
    panel, low enough for the popup to open above it), as a reader would. A
    chooser (incidents sharing the point) is answered by choosing this incident.
    """

    def point() -> dict:
        if incident_id is not None:
            pt = page.evaluate("(id) => window.mapperMap.screenPoint(id)", incident_id)
        else:
            pt = page.evaluate(_OPERATION_DISC_JS, operation)
        assert pt is not None, f"{incident_id or operation} is not on the map"
        return pt

    # The last popup gone (it fades out, and takes clicks, before it leaves the page).
    page.evaluate("void window.mapperMap.map.closePopup()")
    page.wait_for_selector(".leaflet-popup", state="detached")
    wait_still(page)
    page.evaluate(
        """(p) => {
            const m = window.mapperMap.map, s = m.getSize();
            m.panBy([p.x - (s.x - 320) / 2, p.y - s.y * 0.7], {animate: false});
        }""",
        point(),
    )
    pt = point()
    page.mouse.click(pt["x"], pt["y"])
    page.wait_for_selector(".leaflet-popup-content :is(.mapper-card, .mapper-choice)")
    card = ".leaflet-popup-content .mapper-card"
    if incident_id is not None:
        choice = f'.mapper-choice[data-incident="{incident_id}"]'
        if page.locator(choice).count():
            click_in_popup(page, choice)
        card += f'[data-incident="{incident_id}"]'
    page.wait_for_selector(card)
    wait_still(page)
    return page.inner_text(".leaflet-popup-content")


#: Where to click an operation's disc: 6 px beyond its label on the side the label faces
#: (layers.js places the label above, below, right or left of the disc).
_OPERATION_DISC_JS = """(name) => {
    for (const n of document.querySelectorAll(".mapper-op-tooltip")) {
        if (n.textContent.indexOf(name) === 0) {
            const r = n.getBoundingClientRect();
            const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
            if (n.classList.contains("leaflet-tooltip-bottom")) { return {x: x, y: r.top - 12}; }
            if (n.classList.contains("leaflet-tooltip-right")) { return {x: r.left - 12, y: y}; }
            if (n.classList.contains("leaflet-tooltip-left")) { return {x: r.right + 12, y: y}; }
            return {x: x, y: r.bottom + 12};
        }
    }
    return null;
}"""

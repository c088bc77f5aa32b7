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

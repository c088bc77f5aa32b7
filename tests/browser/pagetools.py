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

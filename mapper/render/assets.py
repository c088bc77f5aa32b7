"""Offline assets: Leaflet from the installed XStatic wheel and our own JS/CSS, inlined.

The page script is several plain files in ``templates/``, one per concern,
listed once in :data:`PAGE_SCRIPTS` and inlined in that order as one script.

A map that loads its scripts from CDNs shows nothing during an internet
shutdown; every script and stylesheet the page needs is read here from
installed packages and written into the page itself.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

# Leaflet's stylesheet points at images beside it (layer-control icons,
# default marker pins). We draw neither, and a relative URL in a saved page
# would be a request for a missing file, so those references are dropped.
_CSS_IMAGE = re.compile(r"url\(images/[^)]*\)")

#: The page script's files, in the order they run. ``base.js`` makes the
#: namespace every later file adds to; ``main.js`` wires them together last.
#: A new concern of the page is a new file here, before ``main.js``.
PAGE_SCRIPTS = (
    "base.js",  # namespace, constants, text-only DOM and date helpers
    "data.js",  # the JSON block decoded into typed arrays
    "figures.js",  # claims' figures -> marker sizes
    "draw.js",  # the incident canvas: markers, rings, grid
    "layers.js",  # operations and context sites
    "popups.js",  # cards and clicks
    "time.js",  # the time window and play
    "state.js",  # layer choices and the URL fragment
    "geography.js",  # land, sea, borders, outlines, place names; tiles as an option
    "areas.js",  # districts and provinces shaded, with their legend
    "panel.js",  # title, panel, legend, credits
    "list.js",  # the incidents in view: list, search, hover tooltip
    "stack.js",  # the chooser of incidents at one point
    "histogram.js",  # incidents over time, the brush, date fields, play frames
    "main.js",  # wiring and the read-only view
)


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


def _safe_inline_script(text: str) -> str:
    # A literal "</script" would end the inline element early.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


@functools.cache
def leaflet_js() -> str:
    """Return Leaflet 1.9.3's minified JavaScript, ready to inline."""
    return _safe_inline_script((_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"))


@functools.cache
def leaflet_css() -> str:
    """Return Leaflet's stylesheet without its references to image files."""
    css = (_leaflet_dir() / "leaflet.css").read_text(encoding="utf-8")
    return _CSS_IMAGE.sub("none", css).replace("</", "<\\/")


@functools.cache
def template_text(name: str) -> str:
    """Return one of our JS/CSS files shipped in ``mapper/render/templates``."""
    text = resources.files("mapper.render").joinpath("templates", name).read_text(encoding="utf-8")
    return _safe_inline_script(text)


@functools.cache
def page_script() -> str:
    """Return the page script: the files of :data:`PAGE_SCRIPTS`, in order, as one text."""
    return "\n".join(template_text(name) for name in PAGE_SCRIPTS)

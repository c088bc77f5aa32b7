"""The folium elements of a mapper page: an offline map, its assets, its data and its app.

``OfflineMap`` is a :class:`folium.Map` that links nothing from a CDN;
``OfflineAssets`` inlines Leaflet and our JS/CSS into the page header;
``IncidentData`` writes the one JSON block every layer reads; ``IncidentLayers``
starts the page's layers and controls (incident canvas, operations, context,
time window, figures control, legend, URL state) over that block.
"""

from __future__ import annotations

import re
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template
from markupsafe import escape

from mapper.render.assets import leaflet_css, leaflet_js, page_script, template_text
from mapper.render.payload import script_json


class _Literal(Element):
    """Text placed in the page as is.

    branca's ``Element(text)`` compiles its text as a Jinja template, which
    would evaluate any ``{{ ... }}`` found in the data; this never does.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self._text


def _add_macro(element: MacroElement, section: str, kwargs: dict[str, Any]) -> None:
    figure = element.get_root()
    macro = element._template.module.__dict__[section]
    getattr(figure, section).add_child(_Literal(macro(element, kwargs)), name=element.get_name())


class OfflineMap(folium.Map):
    """A folium map whose page loads no script or stylesheet from the network."""

    # folium's defaults are CDN links to Leaflet, jQuery, Bootstrap and Font
    # Awesome; the page needs only Leaflet, which OfflineAssets inlines.
    default_js: list[tuple[str, str]] = []  # noqa: RUF012 (folium's API: class-level lists)
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def render(self, **kwargs: Any) -> None:
        """Render as folium does, but let readers on phones zoom the page.

        folium's header forbids it (``user-scalable=no``); readers must be able
        to enlarge the text of popups and the panel.
        """
        super().render(**kwargs)
        header = self.get_root().header
        name = self.get_name()
        text = header._children[name].render(**kwargs)
        header._children[name] = _Literal(_VIEWPORT.sub(_OUR_VIEWPORT, text, count=1))


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
_OUR_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


class OfflineAssets(MacroElement):
    """Leaflet's and mapper's scripts and stylesheets, inlined into the header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {%- if this.title %}<title>{{ this.title }}</title>{% endif %}
        <style>{{ this.leaflet_css }}</style>
        <style>{{ this.mapper_css }}</style>
        <script>{{ this.leaflet_js }}</script>
        <script>{{ this.mapper_js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, *, title: str | None = None) -> None:
        super().__init__()
        self._name = "OfflineAssets"
        # The <title> is text from the data or the command line: HTML-escaped.
        self.title = str(escape(title)) if title else ""
        self.leaflet_css = leaflet_css()
        self.leaflet_js = leaflet_js()
        self.mapper_css = template_text("mapper.css")
        self.mapper_js = page_script()

    def render(self, **kwargs: Any) -> None:
        """Add the inlined assets to the page header."""
        _add_macro(self, "header", kwargs)


class IncidentData(MacroElement):
    """The map's data as one JSON block (see :func:`mapper.render.payload.map_payload`)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="mapper-data">{{ this.json }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "IncidentData"
        self.payload = payload
        # Escaped for a <script> element: no data text can close it.
        self.json = script_json(payload)

    def render(self, **kwargs: Any) -> None:
        """Add the JSON block to the page body."""
        _add_macro(self, "html", kwargs)


class IncidentLayers(MacroElement):
    """Start the page script's layers and controls (``main.js``) on the parent map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.mapperInit({{ this._parent.get_name() }},
            JSON.parse(document.getElementById("mapper-data").textContent), {});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "IncidentLayers"

    def render(self, **kwargs: Any) -> None:
        """Add the start-up script to the page."""
        _add_macro(self, "script", kwargs)

"""Layered, time-filtered, offline incident maps.

``build_map(dataset) -> folium.Map`` draws a :class:`mapper.schema.Dataset`;
``save_map(m, path)`` writes the self-contained HTML page.
"""

from __future__ import annotations

from mapper.render.build import build_map, save_map
from mapper.render.days import incident_spans
from mapper.render.payload import map_payload, script_json

__all__ = ["build_map", "incident_spans", "map_payload", "save_map", "script_json"]

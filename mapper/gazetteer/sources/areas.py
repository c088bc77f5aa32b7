"""The areas mapper has outlines for, as places: "Sindh", "Bajaur Agency", "Pakistan".

Tables name districts and provinces where they have no finer place (UCDP's
"Bajaur district", GTD's "North Waziristan"). Each area is a place of its own
level and precision, standing on a point inside its outline, so that such a
name is placed as coarsely as it deserves instead of left unplaced or matched
fuzzily to a town abroad ("Sindh" is not Săndulești in Romania).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from mapper.areas import CREDITS
from mapper.gazetteer.places import PlaceRow, PlaceTable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mapper.areas import Area, Areas

AREAS_LABEL = "mapper areas"


def area_places(areas: Areas, only: Iterable[Area] | None = None) -> list[PlaceRow]:
    """Return one place per area of ``areas`` (or of ``only`` among them): names, level, a point.

    The point is the outline's centroid when that lies inside (most areas),
    otherwise a point on its surface (a crescent or a coast of islands).
    """
    import shapely

    rows = []
    for a in areas if only is None else only:
        geom = a.geometry
        if geom is None or shapely.is_empty(geom):
            continue
        point = shapely.centroid(geom)
        if not shapely.intersects(geom, point):
            point = shapely.point_on_surface(geom)
        country = areas.ancestor(a, "country")
        rows.append(
            PlaceRow(
                name=a.name,
                aliases=areas.aliases_of(a),
                latitude=round(float(shapely.get_y(point)), 5),
                longitude=round(float(shapely.get_x(point)), 5),
                kind=a.level,
                precision=a.level,
                district=a.district,
                province=a.province if a.level != "country" else None,
                country=country.code if country is not None else None,
                source=f"{AREAS_LABEL} (a point inside the {a.level}'s outline, {a.source})",
            )
        )
    return rows


@functools.lru_cache(maxsize=1)
def areas_table() -> PlaceTable:
    """Return the bundled areas (Pakistan's districts and provinces, the world's countries)."""
    from mapper.areas import Areas

    table = PlaceTable.build(area_places(Areas.bundled()), label=AREAS_LABEL, attribution=_CREDIT)
    table.fuzzy_ok = False  # only an area's own names and aliases, never a near miss
    return table


def own_areas_table(areas: Areas, own: Iterable[Area]) -> PlaceTable:
    """Return the user's areas ``own`` (among ``areas``, e.g. from ``--boundaries``) as places."""
    table = PlaceTable.build(
        area_places(areas, own), label=f"{AREAS_LABEL} (boundaries you gave)", attribution=""
    )
    table.fuzzy_ok = False
    return table


_CREDIT = "; ".join(CREDITS.values())
# What the gazetteer lists before the table is loaded (it loads only when a name needs it).
areas_table.label = AREAS_LABEL  # type: ignore[attr-defined]
areas_table.attribution = _CREDIT  # type: ignore[attr-defined]

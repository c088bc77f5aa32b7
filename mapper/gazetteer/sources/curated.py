"""The curated overlay of Balochistan in ``data/gazetteer`` (places and districts)."""

from __future__ import annotations

import csv
import functools
import io

from mapper.errors import InputError
from mapper.files import read_text
from mapper.gazetteer.names import (
    normalize_name,
)
from mapper.gazetteer.places import (
    PlaceRow,
    PlaceTable,
)
from mapper.gazetteer.sources.user import (
    read_gazetteer_csv,
)
from mapper.resources import data_path

CURATED_LABEL = "mapper curated overlay"
CURATED_CREDIT = (
    "Curated Balochistan overlay: mapper project (data/gazetteer), from GeoNames (CC BY 4.0), "
    "public conflict datasets and encyclopedia entries"
)


@functools.lru_cache(maxsize=1)
def curated_table() -> PlaceTable:
    """Return the curated overlay: the places of ``data/gazetteer`` and every district."""
    places = read_gazetteer_csv(data_path("gazetteer", "places.csv"), source=CURATED_LABEL)
    by_name = {normalize_name(p.name): p for p in places}
    rows = list(places)
    path = data_path("gazetteer", "districts.csv")
    for line, rec in enumerate(csv.DictReader(io.StringIO(read_text(path))), start=2):
        hq = by_name.get(normalize_name(rec["headquarters"]))
        if hq is None:  # a data bug in the repository, caught by the tests
            raise InputError(
                f"headquarters {rec['headquarters']!r} is not in places.csv",
                path=path,
                line=line,
                column="headquarters",
            )
        rows.append(
            PlaceRow(
                name=rec["district"],
                aliases=tuple(a for a in rec["aliases"].split("|") if a),
                latitude=hq.latitude,
                longitude=hq.longitude,
                kind="district",
                precision="district",
                district=rec["district"],
                province=rec["province"],
                country=rec["country"],
                source=f"{CURATED_LABEL} (district headquarters {hq.name})",
                headquarters=hq.name,
            )
        )
    return PlaceTable.build(rows, label=CURATED_LABEL, attribution=CURATED_CREDIT)

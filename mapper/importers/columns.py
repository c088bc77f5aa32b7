"""Which column of a user's table holds which field: detection from headers, overrides, extras.

Headers are compared normalised: case, spaces, hyphens and underscores do not
matter (``Killed Min``, ``killed_min`` and ``KILLED-MIN`` are one name). Each
field has the names people use for it (:data:`FIELD_NAMES`); ``--column
FIELD=HEADER`` overrides any of them. Casualty figures also come per group:
``<group>_low`` / ``<group>_high`` (or ``min`` / ``max``, or the bare group)
for the groups in :data:`GROUPS`, where ``total`` is the whole the other groups
are parts of.

Every header named ``Source`` (or another sources name) is read, so a table
with three ``Source`` columns gives each row a list of three sources. Columns
that are empty throughout are ignored; other columns no field takes are kept.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mapper.errors import UsageError

if TYPE_CHECKING:
    from mapper.importers.reading import SourceTable

__all__ = ["FIELD_NAMES", "GROUPS", "ColumnMap", "detect_columns", "normalise_header"]

#: Field -> the header names (normalised) that give it, most specific first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "incident_id": ("incident_id", "event_id", "eventid", "event_id_cnty", "id", "uid"),
    "date": ("date", "event_date", "incident_date", "attack_date", "date_of_attack"),
    "date_end": ("date_end", "end_date"),
    "year": ("year", "iyear"),
    "month": ("month", "imonth"),
    "day": ("day", "iday"),
    "place": ("place", "city", "location", "village", "town", "locality", "place_name"),
    "latitude": ("latitude", "lat", "geo_lat", "y_lat"),
    "longitude": ("longitude", "lon", "lng", "long", "geo_lon", "geo_lng", "geo_long"),
    # Both in one cell: "30.184, 67.001", "25.12N 62.33E", WKT "POINT (67.001 30.184)".
    "coordinates": (
        "coordinates",
        "coordinate",
        "coords",
        "lat_long",
        "lat_lon",
        "latlong",
        "latlon",
        "lat_lng",
        "latlng",
        "gps",
        "gps_coordinates",
        "geo_coordinates",
        "location_coordinates",
        "coordinates_lat_lon",
        "coordinates_lat_long",
        "geolocation",
        "geom_wkt",
        "wkt",
    ),
    "province": ("province", "state", "admin1", "region", "provstate", "province_state"),
    "district": ("district", "admin2", "county", "agency"),
    "country": ("country", "country_txt", "country_name"),
    "event_type": ("event_type", "type", "attack_type", "incident_type", "strike_type"),
    "sub_event_type": ("sub_event_type", "subtype", "sub_type"),
    "actor1": ("actor1", "actor", "group", "perpetrator", "perpetrators", "gname", "attacker"),
    "actor2": ("actor2", "target", "targets", "victim", "victims", "target_type"),
    "description": ("description", "notes", "summary", "details", "narrative", "remarks"),
    "sources": ("sources", "source", "references", "reference", "citation", "link", "url"),
    "killed": ("killed", "fatalities", "deaths", "dead", "nkill", "killed_total", "people_killed"),
    "killed_low": ("killed_min", "killed_low", "min_killed", "fatalities_low", "deaths_min"),
    "killed_high": ("killed_max", "killed_high", "max_killed", "fatalities_high", "deaths_max"),
    "injured": ("injured", "wounded", "injuries", "nwound"),
    "injured_low": ("injured_min", "injured_low", "wounded_min", "wounded_low"),
    "injured_high": ("injured_max", "injured_high", "wounded_max", "wounded_high"),
}

#: Casualty groups that come as their own columns -> the claim subject.
GROUPS: dict[str, str] = {
    "total": "unspecified",
    "militants": "militants",
    "civilians": "civilians",
    "security_forces": "security forces",
    "soldiers": "security forces",
    "police": "security forces",
    "hostages": "hostages",
}
_GROUP_FORMS = {"low": ("low", "min", "minimum"), "high": ("high", "max", "maximum")}

for _group in GROUPS:
    for _end, _words in _GROUP_FORMS.items():
        FIELD_NAMES[f"{_group}_{_end}"] = tuple(
            name
            for w in _words
            for name in (f"{_group}_{w}", f"{_group}_killed_{w}", f"{w}_{_group}")
        )
    FIELD_NAMES.setdefault(_group, (_group, f"{_group}_killed"))

#: Fields a table can be read with: a date (or a year) and somewhere.
_NEEDS_DATE = ("date", "year")
_NEEDS_PLACE = ("place", "latitude", "coordinates", "district", "province", "country")


def normalise_header(header: str) -> str:
    """Return a header as compared: lower case, words joined by ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_")


@dataclass
class ColumnMap:
    """Which column positions give each field, and the columns kept as they are.

    Attributes
    ----------
    fields : dict of str to list of int
        Field -> column positions (several only for ``sources``).
    kept : list of int
        Positions of columns no field took and that hold something.
    ignored : list of int
        Positions of columns empty throughout.
    headers : list of str
        Every header as written.
    """

    fields: dict[str, list[int]]
    kept: list[int]
    ignored: list[int]
    headers: list[str]
    chosen_by_user: set[str] = field(default_factory=set)

    def header_of(self, name: str) -> str | list[str]:
        """Return the header(s) a field was read from (a list for several)."""
        names = [self.headers[i] for i in self.fields[name]]
        return names[0] if len(names) == 1 else names

    def as_record(self) -> dict[str, str | list[str]]:
        """Return the mapping as recorded in ``dataset.json``: field -> header(s)."""
        return {name: self.header_of(name) for name in self.fields}

    def describe(self) -> list[str]:
        """Return one line per field: ``field <- 'Header'`` (and what was kept)."""
        lines = []
        for name in self.fields:
            how = " (--column)" if name in self.chosen_by_user else ""
            lines.append(f"{name} <- {self.header_of(name)!r}{how}")
        if self.kept:
            kept = ", ".join(repr(self.headers[i] or f"column {i + 1}") for i in self.kept)
            lines.append(f"kept as they are: {kept}")
        if self.ignored:
            lines.append(f"ignored (empty): {len(self.ignored)} column(s)")
        return lines


def _parse_overrides(overrides: dict[str, str] | None, table: SourceTable) -> dict[str, list[int]]:
    """Resolve ``--column FIELD=HEADER`` pairs to positions; refuse what cannot be."""
    chosen: dict[str, list[int]] = {}
    if not overrides:
        return chosen
    taken: dict[int, str] = {}
    by_norm: dict[str, list[int]] = {}
    for i, h in enumerate(table.headers):
        by_norm.setdefault(normalise_header(h), []).append(i)
    for name, header in overrides.items():
        if name not in FIELD_NAMES:
            close = difflib.get_close_matches(name, list(FIELD_NAMES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(
                f"--column {name}={header}: no field {name!r}{hint}; fields are "
                + ", ".join(sorted(FIELD_NAMES)[:40])
                + ", ..."
            )
        exact = [i for i, h in enumerate(table.headers) if h == header]
        positions = exact or by_norm.get(normalise_header(header), [])
        if not positions:
            close = difflib.get_close_matches(header, [h for h in table.headers if h], n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UsageError(
                f"--column {name}={header}: {table.path} has no column {header!r}{hint}"
            )
        for i in positions:
            if i in taken:
                raise UsageError(
                    f"--column: fields {taken[i]!r} and {name!r} both name column {header!r}; "
                    "each column gives one field"
                )
            taken[i] = name
        chosen[name] = positions if name == "sources" else positions[:1]
    return chosen


def detect_columns(table: SourceTable, overrides: dict[str, str] | None = None) -> ColumnMap:
    """Decide which column gives which field.

    Parameters
    ----------
    table : SourceTable
        The file as read.
    overrides : dict of str to str, optional
        Field -> header, from ``--column FIELD=HEADER``; each wins over detection.

    Returns
    -------
    ColumnMap

    Raises
    ------
    UsageError
        If an override names an unknown field or a header the file does not
        have (with the closest headers), or two overrides name one column.
    InputError
        If no column gives a date (or a year) or no column says where; the
        message names the missing fields and the ``--column`` flags for them.
    """
    from mapper.errors import InputError

    chosen = _parse_overrides(overrides, table)
    used = {i for positions in chosen.values() for i in positions}
    empty = {i for i in range(len(table.headers)) if not (table.column(i) != "").any()}
    norms = [normalise_header(h) for h in table.headers]
    fields: dict[str, list[int]] = dict(chosen)
    for name, names in FIELD_NAMES.items():
        if name in fields:
            continue
        for alias in names:
            positions = [
                i for i, n in enumerate(norms) if n == alias and i not in used and i not in empty
            ]
            if positions:
                fields[name] = positions if name == "sources" else positions[:1]
                used.update(fields[name])
                break
    if "incident_id" not in fields:
        # Tables name their ids after what they count: strike_id, attack_id...
        ids = [i for i, n in enumerate(norms) if n.endswith("_id") and i not in used | empty]
        if ids:
            fields["incident_id"] = ids[:1]
            used.add(ids[0])
    if "year" not in fields:
        for part in ("month", "day"):
            if part in fields and part not in chosen:
                used.discard(fields.pop(part)[0])
    missing = []
    if not any(f in fields for f in _NEEDS_DATE):
        missing.append(("date", "--column date=HEADER (or year=, month=, day=)"))
    if not any(f in fields for f in _NEEDS_PLACE) and table.latitude is None:
        missing.append(("place", "--column place=HEADER (or latitude= and longitude=)"))
    if "latitude" in fields and "longitude" not in fields:
        missing.append(("longitude", "--column longitude=HEADER"))
    if "longitude" in fields and "latitude" not in fields:
        missing.append(("latitude", "--column latitude=HEADER"))
    if missing:
        found = ", ".join(repr(h) for h in table.headers if h)
        raise InputError(
            f"could not tell which column holds the {' and the '.join(m for m, _ in missing)}"
            f" (columns: {found[:200]}); name them with {'; '.join(f for _, f in missing)}",
            path=table.path,
        )
    order = {name: i for i, name in enumerate(FIELD_NAMES)}
    fields = dict(sorted(fields.items(), key=lambda kv: order[kv[0]]))
    kept = [i for i in range(len(table.headers)) if i not in used and i not in empty]
    return ColumnMap(fields, kept, sorted(empty - used), table.headers, set(chosen))

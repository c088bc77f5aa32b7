"""Import a Global Terrorism Database extract: CSV, spreadsheet or GeoJSON points.

The GTD's licence lets users analyse their own copy; mapper ships no GTD data.
The columns are found as any table's are (:mod:`~mapper.importers.columns`);
what is particular to the GTD is read by the table below.

================================= =================================================
GTD                               mapper
================================= =================================================
eventid                           incident_id ``GTD-<eventid>``
iyear, imonth, iday (0 = unknown) date with day, month or year precision
approxdate                        kept as a column (the GTD's words for the date)
city, provstate, country_txt      place, province, country
latitude, longitude (or geometry) latitude, longitude
specificity 1 / 2, 3 / 4 / 5      location_precision exact / district / province /
                                  country (``near`` for 1 with vicinity 1)
attacktype1_txt, suicide,         event_type, sub_event_type by the table in
targtype1_txt, weaptype1_txt      :mod:`mapper.importers.events`
gname                             actor1
target1                           actor2
summary                           description (the GTD's words, not ours)
scite1, scite2, scite3            sources (``GTD`` when none)
nkill, nwound                     claims by ``GTD`` (side ``dataset``): unspecified
                                  killed, unspecified injured
doubtterr 1                       status ``disputed``, with ``alternative_txt`` in the note
================================= =================================================

Specificity 2 and 3 mean the GTD put the event at the centre of the smallest
administrative area it could name, so the point is no better than a district.
Every other GTD column is kept as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mapper.gazetteer.names import is_placeholder
from mapper.importers.columns import detect_columns, normalise_header
from mapper.importers.common import ImportResult
from mapper.importers.events import gtd_event_types
from mapper.importers.reading import read_source
from mapper.importers.table import build_import

if TYPE_CHECKING:
    import pandas as pd

    from mapper.importers.table import _Row

__all__ = ["GTD_ATTRIBUTION", "SPECIFICITY", "import_gtd"]

#: GTD ``specificity`` codes in mapper's precision words, per the GTD codebook: 1 the city's
#: own point; 2 a city whose point was not found, so the centre of the smallest administrative
#: area named; 3 not in a city, that same centre; 4 a province's centre; 5 no province known.
#: The importer and the gazetteer learner both read the codes through this table.
SPECIFICITY: dict[str, str] = {
    "1": "exact",
    "2": "district",
    "3": "district",
    "4": "province",
    "5": "country",
}
GTD_ATTRIBUTION = (
    "Global Terrorism Database (GTD), National Consortium for the Study of Terrorism and "
    "Responses to Terrorism (START), University of Maryland; the user's own copy"
)
_FIELDS = {
    "incident_id": "eventid",
    "year": "iyear",
    "month": "imonth",
    "day": "iday",
    "place": "city",
    "province": "provstate",
    "country": "country_txt",
    "actor1": "gname",
    "actor2": "target1",
    "description": "summary",
    "killed": "nkill",
    "injured": "nwound",
}
_REQUIRED = ("eventid", "iyear")


def import_gtd(path: str | Path, *, sheet: str | None = None) -> ImportResult:
    """Read a GTD extract into incidents and the GTD's casualty figures as claims.

    Parameters
    ----------
    path : str or Path
        CSV, ``.xlsx`` or GeoJSON (features carrying the GTD's columns).
    sheet : str, optional
        The workbook's sheet (default: the first).

    Returns
    -------
    ImportResult

    Raises
    ------
    InputError
        If the file cannot be read or lacks ``eventid`` or ``iyear``.
    """
    from mapper.errors import InputError

    table = read_source(path, sheet=sheet)
    norms = [normalise_header(h) for h in table.headers]
    missing = [c for c in _REQUIRED if c not in norms]
    if missing:
        raise InputError(
            f"not a GTD extract: no column {', '.join(missing)} (a GTD file has eventid, "
            "iyear, imonth, iday...); for other tables use 'mapper import table'",
            path=table.path,
        )
    overrides = {f: h for f, h in _FIELDS.items() if h in norms}
    # The GTD's own columns win over any look-alike header elsewhere in the file.
    cmap = detect_columns(table, {f: table.headers[norms.index(h)] for f, h in overrides.items()})
    for field in ("event_type", "sub_event_type", "sources"):
        cmap.fields.pop(field, None)
    cites = [i for i, n in enumerate(norms) if n in ("scite1", "scite2", "scite3")]
    if cites:
        cmap.fields["sources"] = cites
    cmap.kept = [i for i in cmap.kept if i not in cites]

    ids = table.frame[norms.index("eventid")]
    table.frame[norms.index("eventid")] = ids.where(ids == "", "GTD-" + ids)

    def column(name: str) -> pd.Series:
        import pandas as pd

        if name in norms:
            return table.column(norms.index(name))
        return pd.Series("", index=table.frame.index, dtype=str)

    def adjust(incidents: pd.DataFrame, rows: _Row) -> str:
        etype, sub, known = gtd_event_types(
            column("attacktype1_txt"),
            column("suicide"),
            column("targtype1_txt"),
            column("weaptype1_txt"),
        )
        incidents["event_type"] = etype
        incidents["sub_event_type"] = sub
        attack = column("attacktype1_txt")
        rows.note(~known & (attack != ""), lambda a: f"attack type {a!r} not known", attack)
        code = column("specificity").str.replace(r"\.0+$", "", regex=True)
        precision = code.map(SPECIFICITY).fillna("").astype(str)
        vicinity = column("vicinity").str.replace(r"\.0+$", "", regex=True) == "1"
        precision = precision.where(~((precision == "exact") & vicinity), "near")
        # Without a code, a GIS layer's non-point geometry still says how coarse it is.
        incidents["location_precision"] = precision.where(
            precision != "", incidents["location_precision"]
        )
        # The GTD writes "Unknown" where it does not know the city.
        place = incidents["place"]
        placeholders = [v for v in place.unique() if is_placeholder(v)]
        incidents.loc[place.isin(placeholders), "place"] = ""
        doubt = column("doubtterr").str.replace(r"\.0+$", "", regex=True) == "1"
        incidents.loc[doubt, "status"] = "disputed"
        alternative = column("alternative_txt")
        rows.note(
            doubt,
            lambda a: (
                "the GTD doubts this was terrorism (doubtterr 1)"
                + (f"; it may be: {a}" if a else "")
            ),
            alternative,
        )
        if "scite1" not in norms:
            incidents["sources"] = "GTD"
        else:
            incidents["sources"] = incidents["sources"].where(
                incidents["sources"] != Path(table.path).name, "GTD"
            )
        return "GTD attack types (see mapper.importers.events)"

    result = build_import(
        table,
        cmap,
        date_format=None,
        claimant="GTD",
        claimant_side="dataset",
        event_type=None,
        name=f"GTD import: {Path(table.path).name}",
        attribution=[GTD_ATTRIBUTION],
        adjust=adjust,
    )
    result.detected = "GTD extract (" + result.detected + ")"
    return result

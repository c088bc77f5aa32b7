"""Import an ACLED export (CSV as downloaded from the ACLED data export tool or API).

Columns read (others are ignored): ``event_id_cnty``, ``event_date``,
``time_precision``, ``event_type``, ``sub_event_type``, ``actor1``, ``actor2``,
``admin1``, ``admin2``, ``admin3``, ``location``, ``latitude``, ``longitude``,
``geo_precision``, ``country``, ``source``, ``notes``, ``fatalities``,
``timestamp``. Only ``event_date`` and ``event_type`` are required: shared
extracts often drop the rest.

Mapping
-------
========================== ======================================================
ACLED                      mapper
========================== ======================================================
event_id_cnty              incident_id (``ACLED-L<line>`` when missing)
event_date                 date (ISO; see :func:`~mapper.importers.dates.parse_source_dates`)
time_precision 1 / 2 / 3   date_precision day / week / month
location, admin2, admin1   place, district, province
geo_precision 1 / 2 / 3    location_precision exact / near / province
event_type, sub_event_type the same (ACLED's taxonomy is ours)
notes                      description (ACLED's words, not ours)
source                     sources ("ACLED; reported by ...")
fatalities                 a claim by ACLED (side ``dataset``): subject
                           ``unspecified``, outcome ``killed``, low = high
timestamp                  the claim's ``claimed_on`` (date of ACLED's last edit)
========================== ======================================================

geo_precision 3 means ACLED placed the event at the centre or capital of a
larger region, so it becomes ``province`` rather than ``district``: never more
precise than the source. Every event is ``reported``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import InputError
from mapper.importers.common import (
    ImportResult,
    canonical,
    finish,
    parse_coordinates,
)
from mapper.importers.dates import parse_source_dates
from mapper.schema import (
    ACLED_TAXONOMY,
    CLAIM_COLUMNS,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    SUB_EVENT_TYPES,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ACLED_ATTRIBUTION", "GEO_PRECISION", "TIME_PRECISION", "import_acled"]

TIME_PRECISION: dict[str, str] = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION: dict[str, str] = {"1": "exact", "2": "near", "3": "province"}
ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data (ACLED), acleddata.com"


def _code(values: pd.Series) -> pd.Series:
    # Spreadsheets turn 1 into "1.0".
    return values.str.replace(r"\.0+$", "", regex=True)


def import_acled(path: str | Path) -> ImportResult:
    """Read an ACLED export into incidents and ACLED's fatality figures as claims.

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Returns
    -------
    ImportResult
        One incident per usable row; the report lists every row.

    Raises
    ------
    InputError
        If the file cannot be read, has no rows, or lacks ``event_date`` or
        ``event_type``.
    """
    import pandas as pd

    from mapper.tables.cells import column_of as _col
    from mapper.tables.cells import parse_counts, suggest
    from mapper.tables.read import read_table

    table = read_table(path, table="ACLED export", required=("event_date", "event_type"))
    f = table.frame
    if len(f) == 0 and not table.rejected:
        raise InputError("no rows: the file has a header but no events", path=table.path)
    lines = pd.Series(table.lines, index=f.index)
    reject = pd.Series("", index=f.index, dtype=str)
    notes: list[pd.Series] = []

    def add(series: pd.Series, mask: pd.Series, why: pd.Series | str) -> None:
        # The first reason a row is refused is the one reported.
        m = mask & (series == "")
        series[m] = why if isinstance(why, str) else why[m]

    date, why = parse_source_dates(_col(f, "event_date"))
    add(reject, date == "", why.map(lambda w: f"column 'event_date': {w}"))

    event_type = canonical(_col(f, "event_type"), EVENT_TYPES)
    bad_type = event_type == ""
    add(
        reject,
        bad_type,
        _col(f, "event_type").map(
            lambda v: (
                f"column 'event_type': {v!r} is not an ACLED event type"
                + (f" (did you mean {s!r}?)" if (s := suggest(v, EVENT_TYPES)) else "")
                if v
                else "column 'event_type': missing"
            )
        ),
    )
    sub = canonical(_col(f, "sub_event_type"), SUB_EVENT_TYPES)
    owner = {s: t for t, subs in ACLED_TAXONOMY.items() for s in subs}
    wrong_sub = (_col(f, "sub_event_type") != "") & (
        (sub == "") | (sub.map(lambda s: owner.get(s, "")) != event_type)
    )
    sub_note = pd.Series("", index=f.index, dtype=str)
    sub_note[wrong_sub] = _col(f, "sub_event_type")[wrong_sub].map(
        lambda v: f"sub_event_type {v!r} does not fit the event type; left empty"
    )
    sub = sub.where(~wrong_sub, "")
    notes.append(sub_note)

    ids = _col(f, "event_id_cnty")
    ids = ids.where(ids != "", "ACLED-L" + lines.astype(str))
    dup = ids.duplicated(keep="first")
    first_line = dict(zip(ids[~dup], lines[~dup], strict=True))
    add(
        reject,
        dup,
        ids.map(lambda i: f"duplicate event_id_cnty {i!r}; first on line {first_line.get(i)}"),
    )

    lat, lon, coord_note = parse_coordinates(
        _col(f, "latitude"), _col(f, "longitude"), _col(f, "country")
    )
    notes.append(coord_note)
    no_where = (
        (lat == "")
        & (_col(f, "location") == "")
        & (_col(f, "admin2") == "")
        & (_col(f, "admin1") == "")
        & (_col(f, "country") == "")
    )
    add(reject, no_where, "no location and no usable coordinates")

    tp = _code(_col(f, "time_precision"))
    gp = _code(_col(f, "geo_precision"))
    source = _col(f, "source")
    incidents = pd.DataFrame(
        {
            "incident_id": ids,
            "date": date,
            "date_end": "",
            "date_precision": tp.map(lambda c: TIME_PRECISION.get(c, "")),
            "place": _col(f, "location"),
            "latitude": lat,
            "longitude": lon,
            "location_precision": gp.map(lambda c: GEO_PRECISION.get(c, "")),
            "district": _col(f, "admin2"),
            "province": _col(f, "admin1"),
            "country": _col(f, "country"),
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1": _col(f, "actor1"),
            "actor2": _col(f, "actor2"),
            "operation": "",
            "description": _col(f, "notes"),
            "sources": source.map(lambda s: f"ACLED; reported by {s}" if s else "ACLED"),
            "status": "reported",
        },
        columns=list(INCIDENT_COLUMNS),
    )
    unknown_code = ((tp != "") & (incidents["date_precision"] == "")) | (
        (gp != "") & (incidents["location_precision"] == "")
    )
    code_note = pd.Series("", index=f.index, dtype=str)
    code_note[unknown_code] = "unknown time_precision or geo_precision code; precision left empty"
    notes.append(code_note)
    no_geo = (gp == "") & (_col(f, "latitude") != "")
    geo_note = pd.Series("", index=f.index, dtype=str)
    geo_note[no_geo] = "no geo_precision code: location precision not known, drawn as approximate"
    notes.append(geo_note)

    fatalities, bad_fat, _ = parse_counts(_col(f, "fatalities"))
    fat_note = pd.Series("", index=f.index, dtype=str)
    fat_note[bad_fat] = _col(f, "fatalities")[bad_fat].map(
        lambda v: f"fatalities {v!r} is not a whole number; no figure recorded"
    )
    notes.append(fat_note)
    has = fatalities.notna()
    stamp = _col(f, "timestamp").map(_timestamp_date)
    claims = pd.DataFrame(
        {
            "claim_id": ids[has] + "-fatalities",
            "incident_id": ids[has],
            "operation": "",
            "claimant": "ACLED",
            "claimant_side": "dataset",
            "claimed_on": stamp[has],
            "subject": "unspecified",
            "outcome": "killed",
            "low": fatalities[has],
            "high": fatalities[has],
            "quote": "",
            "source": ids[has].map(lambda i: f"ACLED event {i}"),
            "part_of": "",
            "_row": ids[has].index,
        },
        columns=[*CLAIM_COLUMNS, "_row"],
    )
    note = pd.concat(notes, axis=1).apply(lambda r: "; ".join(x for x in r if x), axis=1)
    note = note if len(note) else pd.Series("", index=f.index, dtype=str)
    result = finish(
        path=table.path,
        lines=lines,
        incidents=incidents,
        claims=claims,
        reject=reject,
        notes=note.astype(str),
        name=f"ACLED import: {Path(table.path).name}",
        attribution=[ACLED_ATTRIBUTION],
        unsplit=table.rejected,
    )
    return result


def _timestamp_date(value: str) -> str:
    try:
        seconds = float(value)
    except ValueError:
        return ""
    if not 0 < seconds < 32503680000:  # before the year 3000
        return ""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d")

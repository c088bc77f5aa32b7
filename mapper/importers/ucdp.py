"""Import a UCDP Georeferenced Event Dataset (GED) file, CSV, with or without HXL tags.

UCDP publishes GED as CSV; the copy on the Humanitarian Data Exchange carries a
second header row of HXL hashtags (``#date+start``, ``#geo+lat``...), which is
recognised and skipped. Only ``id`` and ``date_start`` are required.

Mapping
-------
================================ ================================================
UCDP GED                         mapper
================================ ================================================
id                               incident_id ``UCDP-<id>``
date_start, date_end             date, date_end (date_end only when it differs)
date_prec 1 / 2, 3 / 4 / 5       date_precision day / week / month / year
where_coordinates                place
adm_2, adm_1 (" district",       district, province (the suffixes UCDP adds are
" province" dropped)             dropped so the names match the gazetteer)
where_prec 1 / 2 / 3 / 4, 5 /    location_precision exact / near / district /
6, 7                             province / country
type_of_violence 1, 2 / 3        Battles, Armed clash / Violence against
                                 civilians, Attack (Battles when absent)
side_a, side_b                   actor1, actor2
event_clarity 2                  status ``unverified`` (otherwise ``reported``)
best                             a claim by UCDP: unspecified killed, low = high = best
low, high                        a claim by UCDP: unspecified killed, low–high
                                 (only when they differ from best)
deaths_civilians                 a claim by UCDP: civilians killed (when above 0)
================================ ================================================

where_prec 5 (a linear feature such as a road or river, or a large area) becomes
``province``: the event is somewhere along a line that may cross districts.
The side-by-side deaths (``deaths_a``, ``deaths_b``, ``deaths_unknown``) are
kept in the best-estimate claim's quote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.errors import InputError
from mapper.files import read_text
from mapper.importers.common import ImportResult, finish, parse_coordinates
from mapper.importers.dates import parse_source_dates
from mapper.schema import CLAIM_COLUMNS, INCIDENT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATE_PRECISION", "UCDP_ATTRIBUTION", "WHERE_PRECISION", "import_ucdp"]

DATE_PRECISION: dict[str, str] = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
WHERE_PRECISION: dict[str, str] = {
    "1": "exact",
    "2": "near",
    "3": "district",
    "4": "province",
    "5": "province",
    "6": "country",
    "7": "country",
}
VIOLENCE_TYPES: dict[str, tuple[str, str]] = {
    "1": ("Battles", "Armed clash"),
    "2": ("Battles", "Armed clash"),
    "3": ("Violence against civilians", "Attack"),
}
UCDP_ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, ucdp.uu.se"
)


def _code(values: pd.Series) -> pd.Series:
    return values.str.replace(r"\.0+$", "", regex=True)


def _strip_suffix(values: pd.Series, suffix: str) -> pd.Series:
    return values.str.replace(rf"\s+{suffix}$", "", regex=True, flags=re.IGNORECASE)


def import_ucdp(path: str | Path) -> ImportResult:
    """Read a UCDP GED CSV into incidents and UCDP's death estimates as claims.

    Parameters
    ----------
    path : str or Path
        The CSV file (plain, or HDX's with a row of HXL tags under the header).

    Returns
    -------
    ImportResult
        One incident per usable row; the report lists every row.

    Raises
    ------
    InputError
        If the file cannot be read, has no rows, or lacks ``id`` or ``date_start``.
    """
    import pandas as pd

    from mapper.tables.cells import column_of as _col
    from mapper.tables.cells import parse_counts
    from mapper.tables.read import read_table

    text = read_text(path)
    table = read_table(path, table="UCDP GED file", required=("id", "date_start"), text=text)
    f = table.frame
    lines = pd.Series(table.lines, index=f.index)
    if len(f) and _is_hxl_row(f.iloc[0]):
        f = f.iloc[1:]
        lines = lines.iloc[1:]
    if len(f) == 0 and not table.rejected:
        raise InputError("no rows: the file has a header but no events", path=table.path)
    reject = pd.Series("", index=f.index, dtype=str)

    def add(mask: pd.Series, why: pd.Series | str) -> None:
        m = mask & (reject == "")
        reject[m] = why if isinstance(why, str) else why[m]

    raw_id = _col(f, "id")
    raw_id = raw_id.str.replace(r"\.0+$", "", regex=True)
    add(raw_id == "", "column 'id': missing")
    ids = "UCDP-" + raw_id
    dup = (raw_id != "") & ids.duplicated(keep="first")
    first_line = dict(zip(ids[~dup], lines[~dup], strict=True))
    add(dup, ids.map(lambda i: f"duplicate id {i[5:]!r}; first on line {first_line.get(i)}"))

    start, why = parse_source_dates(_col(f, "date_start"))
    add(start == "", why.map(lambda w: f"column 'date_start': {w}"))
    end, why_end = parse_source_dates(_col(f, "date_end"))
    notes = pd.Series("", index=f.index, dtype=str)
    bad_end = (_col(f, "date_end") != "") & (end == "")
    notes[bad_end] = why_end[bad_end].map(lambda w: f"date_end ignored: {w}")
    backwards = (end != "") & (start != "") & (end < start)
    add(backwards, "column 'date_end': before date_start")
    end = end.where(end != start, "")

    lat, lon, coord_note = parse_coordinates(
        _col(f, "latitude"), _col(f, "longitude"), _col(f, "country")
    )
    notes = _join(notes, coord_note)
    place = _col(f, "where_coordinates")
    district = _strip_suffix(_col(f, "adm_2"), "district")
    province = _strip_suffix(_col(f, "adm_1"), "province")
    country = _col(f, "country")
    add(
        (lat == "") & (place == "") & (district == "") & (province == "") & (country == ""),
        "no location and no usable coordinates",
    )

    violence = _code(_col(f, "type_of_violence"))
    if "type_of_violence" in f.columns:
        known = violence.isin(list(VIOLENCE_TYPES))
        add(~known, violence.map(lambda v: f"column 'type_of_violence': {v!r}: expected 1, 2 or 3"))
    etype = violence.map(lambda v: VIOLENCE_TYPES.get(v, ("Battles", ""))[0])
    subtype = violence.map(lambda v: VIOLENCE_TYPES.get(v, ("Battles", ""))[1])
    clarity = _code(_col(f, "event_clarity"))

    def context(row: pd.Series) -> str:
        parts = [row["conflict"], row["where"]]
        return "; ".join(p for p in parts if p)

    description = (
        pd.DataFrame(
            {"conflict": _col(f, "conflict_name"), "where": _col(f, "where_description")}
        ).apply(context, axis=1)
        if len(f)
        else pd.Series([], dtype=str)
    )
    office = _col(f, "source_office")
    incidents = pd.DataFrame(
        {
            "incident_id": ids,
            "date": start,
            "date_end": end,
            "date_precision": _code(_col(f, "date_prec")).map(lambda c: DATE_PRECISION.get(c, "")),
            "place": place,
            "latitude": lat,
            "longitude": lon,
            "location_precision": _code(_col(f, "where_prec")).map(
                lambda c: WHERE_PRECISION.get(c, "")
            ),
            "district": district,
            "province": province,
            "country": country,
            "event_type": etype,
            "sub_event_type": subtype,
            "actor1": _col(f, "side_a"),
            "actor2": _col(f, "side_b"),
            "operation": "",
            "description": description,
            "sources": office.map(lambda o: f"UCDP GED; reported by {o}" if o else "UCDP GED"),
            "status": clarity.map(lambda c: "unverified" if c == "2" else "reported"),
        },
        columns=list(INCIDENT_COLUMNS),
    )

    best, bad_best, _ = parse_counts(_col(f, "best"))
    low, bad_low, _ = parse_counts(_col(f, "low"))
    high, bad_high, _ = parse_counts(_col(f, "high"))
    civ, bad_civ, _ = parse_counts(_col(f, "deaths_civilians"))
    bad_any = bad_best | bad_low | bad_high | bad_civ
    notes[bad_any] = _join(
        notes, pd.Series("a death figure is not a whole number; it is left out", index=f.index)
    )[bad_any]
    low_high_ok = low.notna() & high.notna() & (low <= high)
    inverted = low.notna() & high.notna() & (low > high)
    notes[inverted.fillna(False)] = _join(
        notes, pd.Series("low is above high; the range is left out", index=f.index)
    )[inverted.fillna(False)]

    def breakdown(pos: object) -> str:
        parts = []
        for col, label in (
            ("deaths_a", "side A"),
            ("deaths_b", "side B"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        ):
            value = _col(f, col).at[pos]
            if value != "":
                parts.append(f"{label} {value}")
        return "UCDP best estimate" + (f" ({', '.join(parts)})" if parts else "")

    rows = []
    for pos in f.index:
        cid = ids.at[pos]
        src = f"UCDP GED event {raw_id.at[pos]}"
        if pd.notna(best.at[pos]):
            rows.append(
                (
                    cid + "-best",
                    cid,
                    "unspecified",
                    best.at[pos],
                    best.at[pos],
                    breakdown(pos),
                    src,
                    pos,
                )
            )
        if bool(low_high_ok.at[pos]) and not (low.at[pos] == best.at[pos] == high.at[pos]):
            rows.append(
                (
                    cid + "-range",
                    cid,
                    "unspecified",
                    low.at[pos],
                    high.at[pos],
                    "UCDP low and high estimates",
                    src,
                    pos,
                )
            )
        if pd.notna(civ.at[pos]) and civ.at[pos] > 0:
            rows.append(
                (
                    cid + "-civilians",
                    cid,
                    "civilians",
                    civ.at[pos],
                    civ.at[pos],
                    "UCDP best estimate of civilian deaths",
                    src,
                    pos,
                )
            )
    claims = pd.DataFrame(
        rows,
        columns=["claim_id", "incident_id", "subject", "low", "high", "quote", "source", "_row"],
    )
    claims["operation"] = ""
    claims["claimant"] = "UCDP"
    claims["claimant_side"] = "dataset"
    claims["claimed_on"] = ""
    claims["outcome"] = "killed"
    # UCDP's civilian deaths are counted within its best estimate: a part, never added to it.
    whole = claims["incident_id"] + "-best"
    is_part = (claims["subject"] == "civilians") & whole.isin(set(claims["claim_id"]))
    claims["part_of"] = whole.where(is_part, "")
    for col in ("low", "high"):
        claims[col] = claims[col].astype("Int64")
    claims = claims[[*CLAIM_COLUMNS, "_row"]]

    return finish(
        path=table.path,
        lines=lines,
        incidents=incidents,
        claims=claims,
        reject=reject,
        notes=notes,
        name=f"UCDP GED import: {Path(table.path).name}",
        attribution=[UCDP_ATTRIBUTION],
        unsplit=table.rejected,
    )


def _is_hxl_row(row: pd.Series) -> bool:
    """Whether a row is HXL hashtags (every non-empty cell starts with '#')."""
    cells = [c for c in row if c]
    return bool(cells) and all(c.startswith("#") for c in cells)


def _join(a: pd.Series, b: pd.Series) -> pd.Series:
    import pandas as pd

    out = pd.Series(
        [("; ".join(x for x in (p, q) if x)) for p, q in zip(a, b, strict=True)],
        index=a.index,
        dtype=str,
    )
    return out

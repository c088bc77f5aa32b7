"""The map's data: one compact, columnar JSON document that every layer of the page shares.

:func:`payload_arrays` reads like the page's data flow: the time window, the
incidents the page shows (placed, in date order), the operations and claims
that go with them, then each table as columns coded against one shared string
table (see :mod:`mapper.render.columns`; dates are days since 1970-01-01, see
:mod:`mapper.render.days`). A claim's figures travel as its own ``low`` and
``high``: the page (``templates/figures.js``) turns the reader's choice of
figures into marker sizes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mapper.claims import stated_figure
from mapper.render.columns import (
    Encoded,
    StringTable,
    column,
    coords,
    decoded,
    encode,
    lookup,
    micro,
    optional_days,
    optional_ints,
    positions,
    present,
    sort_rank,
    taken,
    text,
)
from mapper.render.days import days, in_window, incident_spans, window
from mapper.schema import (
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEONAMES_ATTRIBUTION,
    INCIDENT_COLUMNS,
    LOCATION_PRECISIONS,
    PLACEMENT_COLUMNS,
)

if TYPE_CHECKING:
    from mapper.schema import Dataset

__all__ = ["map_payload", "payload_arrays", "readable_title", "script_json"]

#: Bumped when the layout of the JSON document changes.
PAYLOAD_VERSION = 1

# Characters that must not appear raw inside a <script> element: "<" could
# close it ("</script>") or open a comment, "&" and ">" for good measure, and
# U+2028/U+2029, which older JavaScript parsers treat as line ends.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

# The text columns of each table: key in the page -> column in the dataset.
_INCIDENT_TEXT = {
    "place": "place",
    "matched": "matched_name",
    "sub": "sub_event_type",
    "status": "status",
    "district": "district",
    "province": "province",
    "country": "country",
    "a1": "actor1",
    "a2": "actor2",
    "desc": "description",
    "src": "sources",
    "reason": "placement_reason",
    "locsrc": "location_source",
}
_CLAIM_TEXT = {
    "fig": "_stated",
    "claimant": "claimant",
    "side": "claimant_side",
    "subject": "subject",
    "outcome": "outcome",
    "quote": "quote",
    "source": "source",
}
_OPERATION_TEXT = {"name": "name", "actor": "actor", "desc": "description", "src": "sources"}
_SITE_TEXT = {
    "name": "name",
    "kind": "kind",
    "prec": "location_precision",
    "desc": "description",
    "src": "sources",
}
_INDICATOR_TEXT = {
    "area": "area",
    "indicator": "indicator",
    "value": "value",
    "low": "low",
    "high": "high",
    "unit": "unit",
    "as_of": "as_of",
    "source": "source",
    "note": "note",
}


def script_json(obj: Any) -> str:
    r"""Serialise ``obj`` as JSON that is safe to place inside a ``<script>`` element.

    Parameters
    ----------
    obj : object
        Dicts, lists, strings, numbers, booleans and None, where containers may
        also hold numpy integer arrays (written as JSON arrays). NaN and
        infinity are written as ``null``.

    Returns
    -------
    str
        Compact JSON in which ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped
        as ``\uXXXX``, so no data text can end the script element. Characters
        beyond ASCII are escaped too where they are few (as in most tables:
        a name with a macron, a range with an en dash): a Python string of
        ASCII takes a byte a character, but one holding a single en dash takes
        two for every character, and a large page is then slower to join, copy
        and write. Text mostly beyond ASCII stays as it is.

    Raises
    ------
    TypeError
        For a numpy array of anything but integers (coordinates go to the page
        as integers of 1e-5 degree: a float array here is a mistake upstream).
    """
    import orjson

    _refuse_float_arrays(obj)
    # orjson writes a map's large integer arrays straight from numpy, and its
    # text exactly as json.dumps(ensure_ascii=False) does, several times faster.
    data = orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    out = _ascii_where_few(data).decode("utf-8")
    for raw, escaped in _SCRIPT_ESCAPES.items():
        if raw in out:
            out = out.replace(raw, escaped)
    return out


#: Up to this many runs of characters beyond ASCII, :func:`script_json` escapes them.
_FEW_RUNS = 20_000


def _ascii_where_few(data: bytes) -> bytes:
    r"""Return JSON ``data`` with its characters beyond ASCII escaped, if they are few.

    Such characters occur only inside JSON strings, as whole UTF-8 sequences:
    each run of bytes from 0x80 up is replaced by its ``\uXXXX`` escapes (a
    surrogate pair beyond U+FFFF), as the standard library's encoder writes
    them. Each run costs a Python call, so text mostly beyond ASCII is left.
    """
    if data.isascii():
        return data
    high = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80)
    breaks = np.flatnonzero(np.diff(high) > 1)
    if len(breaks) + 1 > _FEW_RUNS:
        return data
    from json.encoder import encode_basestring_ascii

    starts = high[np.r_[0, breaks + 1]].tolist()
    ends = (high[np.r_[breaks, len(high) - 1]] + 1).tolist()
    pieces, done = [], 0
    for start, end in zip(starts, ends, strict=True):
        text = data[start:end].decode("utf-8")
        pieces += [data[done:start], encode_basestring_ascii(text)[1:-1].encode("ascii")]
        done = end
    pieces.append(data[done:])
    return b"".join(pieces)


def _refuse_float_arrays(obj: Any) -> None:
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "iu":
            raise TypeError(f"expected an array of integers, got dtype {obj.dtype}")
    elif isinstance(obj, dict):
        for value in obj.values():
            _refuse_float_arrays(value)


def _listed(obj: Any) -> Any:
    """Return ``obj`` with every numpy array replaced by a list (the public payload)."""
    if isinstance(obj, dict):
        return {k: _listed(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


def map_payload(
    dataset: Dataset,
    *,
    since: object = None,
    until: object = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Return the JSON document the page draws, for the incidents in ``since``..``until``.

    Parameters
    ----------
    dataset : mapper.schema.Dataset
        What to draw.
    since, until : str or date, optional
        Keep only incidents whose span overlaps this window (ISO dates,
        inclusive); claims follow their incidents.
    title : str, optional
        Title shown on the map; defaults to ``dataset.name``.

    Returns
    -------
    dict
        Columnar tables ``incidents``, ``claims``, ``operations``, ``sites``,
        ``indicators`` coded against ``strings``, plus ``types``, ``range``,
        ``claimants``, ``title`` and ``attribution``; every column is a list.

    Raises
    ------
    UsageError
        If ``since`` or ``until`` is not a date, or ``since`` is after ``until``.
    """
    return _listed(payload_arrays(dataset, since=since, until=until, title=title))


def payload_arrays(
    dataset: Dataset,
    *,
    since: object = None,
    until: object = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Return :func:`map_payload`'s document with integer columns as numpy arrays.

    The renderer writes these straight to the page (see :func:`script_json`);
    converting 100,000-row columns to Python lists first would only cost time.
    """
    lo, hi = window(since, until)
    shown = _shown_incidents(dataset.incidents, lo, hi)
    ops = _operations(dataset.operations, shown, lo, hi)
    claims = _claims_about(dataset.claims, shown, ops)
    sites, site_lat, site_lon = _placed_sites(dataset.sites)
    indicators = pd.DataFrame(dataset.indicators).reset_index(drop=True)
    types = _event_types(shown.types)

    strings = StringTable()
    strings.add_columns("inc", shown.frame, _INCIDENT_TEXT, shown.rows)
    strings.add_columns("claims", claims.frame, _CLAIM_TEXT, claims.rows)
    strings.add_columns("ops", ops, _OPERATION_TEXT)
    strings.add_columns("ind", indicators, _INDICATOR_TEXT)
    strings.add_columns("sites", sites, _SITE_TEXT)
    kept = _kept_columns(shown.frame)
    strings.add_columns("kept", shown.frame, kept, shown.rows)
    strings.finish()

    incidents_json = _incident_columns(shown, types, ops, strings)
    claims_json = _claim_columns(claims, strings)
    return {
        "version": PAYLOAD_VERSION,
        "title": title if title else readable_title(dataset.name),
        "attribution": _attribution(dataset.attribution),
        "types": types,
        "precisions": list(LOCATION_PRECISIONS),
        "date_precisions": list(DATE_PRECISIONS),
        "range": _date_range(shown, lo, hi),
        "claimants": _claimants(claims_json, strings),
        "strings": strings.table,
        "incidents": incidents_json,
        "claims": claims_json,
        "operations": _operation_columns(ops, shown, incidents_json["op"], strings),
        "sites": {
            "lat": micro(site_lat),
            "lon": micro(site_lon),
            **strings.columns("sites", _SITE_TEXT),
        },
        "indicators": strings.columns("ind", _INDICATOR_TEXT),
        "kept": {
            "names": list(kept.values()),
            "values": list(strings.columns("kept", kept).values()),
        },
    }


def _kept_columns(incidents: pd.DataFrame) -> dict[str, str]:
    """Columns of an imported table our schema has no place for, shown in popups as named.

    Keys are the page's (``k0``, ``k1``...), values the columns' own names.
    """
    ours = {*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS, "geometry"}
    names = [str(c) for c in incidents.columns if c not in ours and not str(c).startswith("_")]
    return {f"k{i}": name for i, name in enumerate(names)}


# --- which rows the page shows -------------------------------------------------------


@dataclass
class _Shown:
    """The incidents the page shows: positions ``rows`` of ``frame``, in (date, id) order.

    Every per-row column is computed over all rows and taken at ``rows``, which
    is cheaper than filtering and sorting the whole frame; ``start`` and
    ``last`` cover all rows, the other arrays only ``rows``.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    start: np.ndarray
    last: np.ndarray
    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    placed: np.ndarray
    types: Encoded
    operations: Encoded


def _shown_incidents(inc: pd.DataFrame, lo: int | None, hi: int | None) -> _Shown:
    """Return the dated incidents whose span overlaps ``lo``..``hi``, placed or not."""
    start, last = incident_spans(inc) if len(inc) else (np.array([]), np.array([]))
    id_codes, id_texts = encode(column(inc, "incident_id"))
    cand = np.flatnonzero(in_window(start, last, lo, hi))
    # np.lexsort is stable, like the (date, id) sort it replaces.
    rows = cand[np.lexsort((sort_rank(id_texts)[id_codes[cand]], start[cand]))]
    lat, lon = coords(inc)
    lat, lon = lat[rows], lon[rows]
    placed = np.isfinite(lat) & np.isfinite(lon)
    if "placement" in inc.columns:
        placed &= decoded(encode(inc["placement"]), "placed")[rows] != "unplaced"
    return _Shown(
        frame=inc,
        rows=rows,
        start=start,
        last=last,
        ids=decoded((id_codes[rows], id_texts), ""),
        lat=lat,
        lon=lon,
        placed=placed,
        types=taken(encode(column(inc, "event_type")), rows),
        operations=taken(encode(column(inc, "operation")), rows),
    )


def _operations(table: pd.DataFrame, shown: _Shown, lo: int | None, hi: int | None) -> pd.DataFrame:
    """Return the operations a shown incident belongs to or whose dates overlap, by ``_key``."""
    ops = pd.DataFrame(table).reset_index(drop=True)
    if not len(ops):
        return pd.DataFrame({"_key": pd.Series([], dtype=object)})
    ops["_key"] = text(column(ops, "operation")).to_numpy()
    ops = ops[ops["_key"].notna()]
    start = days(column(ops, "date"))
    end = days(column(ops, "date_end"))
    last = np.where(np.isnan(end), start, end)
    members = ops["_key"].isin(present(*shown.operations)).to_numpy()
    ops = ops[members | in_window(start, last, lo, hi)]
    ops = ops.sort_values("_key", kind="mergesort").reset_index(drop=True)
    return ops.drop_duplicates("_key").reset_index(drop=True)


@dataclass
class _Claims:
    """The claims about a shown incident or operation: positions ``rows`` of ``frame``.

    Ordered by (incident, operation, claim id); ``inc`` and ``op`` are the
    positions of each claim's incident and operation on the page, or -1.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    ids: np.ndarray
    inc: np.ndarray
    op: np.ndarray
    part: np.ndarray


def _claims_about(table: pd.DataFrame, shown: _Shown, ops: pd.DataFrame) -> _Claims:
    """Return the claims about the shown incidents and operations."""
    claims = pd.DataFrame(table).reset_index(drop=True)
    shown_ids = column(shown.frame, "incident_id").iloc[shown.rows]
    c_inc = lookup(shown_ids, column(claims, "incident_id"))
    c_op = lookup(pd.Series(ops["_key"], dtype=object), column(claims, "operation"))
    keep = np.flatnonzero((c_inc >= 0) | (c_op >= 0))
    id_codes, id_texts = encode(column(claims, "claim_id"))
    rows = keep[np.lexsort((sort_rank(id_texts)[id_codes[keep]], c_op[keep], c_inc[keep]))]
    ids = decoded((id_codes[rows], id_texts), "")
    # The figure as its claimant stated it ("at least 31"), made once per distinct claim text.
    low = pd.to_numeric(column(claims, "low"), errors="coerce")
    high = pd.to_numeric(column(claims, "high"), errors="coerce")
    quote = column(claims, "quote")
    triples = [low.to_numpy()[rows], high.to_numpy()[rows], quote.to_numpy()[rows]]
    codes, first = _distinct_rows(triples)
    texts = np.array(
        [stated_figure(*(part[f] for part in triples)) for f in first.tolist()] or [None],
        dtype=object,
    )
    stated = pd.Series(None, index=claims.index, dtype=object)
    stated.iloc[rows] = texts[codes] if len(rows) else []
    claims = claims.assign(_stated=stated)
    # The whole each part belongs to, as its position on the page (-1: none, or not shown).
    part_of = lookup(pd.Series(ids, dtype=object), text(column(claims, "part_of")))
    return _Claims(
        frame=claims, rows=rows, ids=ids, inc=c_inc[rows], op=c_op[rows], part=part_of[rows]
    )


def _distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return the number of each distinct row of ``columns`` (missing values are all alike).

    Returns each row's number (in order of first appearance) and the first row
    of each number. Each column is factorized once and the codes folded
    together pairwise: no tuple per row is made.
    """
    n = len(columns[0]) if columns else 0
    group = np.zeros(n, dtype="int64")
    for values in columns:
        codes, uniques = pd.factorize(values)  # missing: -1
        group, _ = pd.factorize(group * (len(uniques) + 1) + codes + 1)
    group = np.asarray(group, dtype="int64")
    first = np.empty(group.max() + 1 if n else 0, dtype="int64")
    first[group[::-1]] = np.arange(n - 1, -1, -1)  # the last write, the first row
    return group, first


def _placed_sites(table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Return the context sites that have coordinates, with their latitude and longitude."""
    sites = pd.DataFrame(table).reset_index(drop=True)
    lat, lon = coords(sites)
    ok = np.isfinite(lat) & np.isfinite(lon)
    return sites.iloc[np.flatnonzero(ok)], lat[ok], lon[ok]


def _event_types(types: Encoded) -> list[str]:
    """Event types in ACLED's order, then any others (imported data) sorted."""
    found = present(*types)
    ordered = [t for t in EVENT_TYPES if t in found] + sorted(found - set(EVENT_TYPES))
    return ordered or list(EVENT_TYPES)


# --- the columns of each table ---------------------------------------------------------


def _incident_columns(
    shown: _Shown, types: list[str], ops: pd.DataFrame, strings: StringTable
) -> dict[str, Any]:
    inc, rows, placed = shown.frame, shown.rows, shown.placed
    return {
        "id": shown.ids.tolist(),
        "lat": micro(np.where(placed, shown.lat, np.nan)),
        "lon": micro(np.where(placed, shown.lon, np.nan)),
        "placed": placed.astype("int64"),
        "d0": shown.start[rows].astype("int64"),
        "d1": shown.last[rows].astype("int64"),
        "has_end": column(inc, "date_end").notna().to_numpy()[rows].astype("int64"),
        "dp": positions(taken(encode(column(inc, "date_precision")), rows), DATE_PRECISIONS),
        "prec": positions(
            taken(encode(column(inc, "location_precision")), rows), LOCATION_PRECISIONS
        ),
        "type": positions(shown.types, types),
        "op": positions(shown.operations, ops["_key"].tolist()),
        **strings.columns("inc", _INCIDENT_TEXT),
    }


def _claim_columns(claims: _Claims, strings: StringTable) -> dict[str, Any]:
    """Each claim as its party stated it: ``low`` and ``high`` are never merged or summed."""
    frame, rows = claims.frame, claims.rows
    low = pd.to_numeric(column(frame, "low"), errors="coerce").iloc[rows]
    high = pd.to_numeric(column(frame, "high"), errors="coerce").iloc[rows]
    return {
        "id": claims.ids.tolist(),
        "inc": claims.inc,
        "op": claims.op,
        "on": optional_ints(days(column(frame, "claimed_on"))[rows]),
        "low": low.fillna(0).to_numpy(dtype="int64"),
        "high": optional_ints(high),
        # The whole (its position here) a claim is part of, or -1: a total and its
        # parts are never added together.
        "part": claims.part,
        **strings.columns("claims", _CLAIM_TEXT),
    }


def _claimants(claims_json: dict[str, Any], strings: StringTable) -> list[int]:
    """Return the claimants' string codes in the order of their names (the figures control)."""
    codes = set(np.unique(claims_json["claimant"]).tolist()) - {-1}
    return sorted(codes, key=lambda c: strings.table[c])


def _operation_columns(
    ops: pd.DataFrame, shown: _Shown, member_op: np.ndarray, strings: StringTable
) -> dict[str, Any]:
    # Member places of each operation, grouped with one sort (there may be many).
    member_op = np.asarray(member_op, dtype="int64")
    members = np.flatnonzero((member_op >= 0) & shown.placed)
    members = members[np.argsort(member_op[members], kind="stable")]
    bounds = np.searchsorted(member_op[members], np.arange(len(ops) + 1))
    return {
        "key": ops["_key"].tolist(),
        "d0": optional_days(column(ops, "date")),
        "d1": optional_days(column(ops, "date_end")),
        "hull": [
            _hull(shown.lat[members[a:b]], shown.lon[members[a:b]])
            for a, b in itertools.pairwise(bounds)
        ],
        **strings.columns("ops", _OPERATION_TEXT),
    }


def _hull(lat: np.ndarray, lon: np.ndarray) -> list[list[float]]:
    """Outline of an operation's places as [lat, lon] vertices (1 or 2 for degenerate)."""
    pts = sorted({(round(float(a), 5), round(float(b), 5)) for a, b in zip(lat, lon, strict=True)})
    if len(pts) < 3:
        return [list(p) for p in pts]
    import shapely

    hull = shapely.convex_hull(shapely.multipoints([(b, a) for a, b in pts]))
    if hull.geom_type != "Polygon":
        # Collinear places: keep the two ends, drawn as a ring around the first.
        return [list(pts[0]), list(pts[-1])]
    return [[round(y, 5), round(x, 5)] for x, y in list(hull.exterior.coords)[:-1]]


# A bare file or directory name: letters, digits, dots, dashes and underscores only.
_FILE_NAME = re.compile(r"[\w.-]+")


def readable_title(name: object) -> str:
    """Return a dataset's name as a map title: "balochistan-2026" -> "Balochistan 2026".

    A name given in ``dataset.json`` is kept as written; a bare file or directory
    name (no spaces: ``acled_export.csv``) loses its extension and its dashes and
    underscores. Each part of a combined name ("a + b") is treated alike.
    """
    parts = []
    for part in str(name or "").split(" + "):
        part = part.strip()
        if _FILE_NAME.fullmatch(part):
            part = re.sub(r"\.(csv|tsv|txt|xlsx?|json|geojson|gpkg|parquet)$", "", part, flags=re.I)
            part = re.sub(r"[-_.]+", " ", part).strip()
            part = part[:1].upper() + part[1:]
        if part:
            parts.append(part)
    return " + ".join(parts) or "Incidents"


def _attribution(lines: object) -> list[str]:
    """Return the dataset's credits and GeoNames', each once, in order."""
    attribution: list[str] = []
    for line in [*list(lines or []), GEONAMES_ATTRIBUTION]:
        cleaned = str(line).strip()
        if cleaned and cleaned not in attribution:
            attribution.append(cleaned)
    return attribution


def _date_range(shown: _Shown, lo: int | None, hi: int | None) -> list[int]:
    """Return the slider's range: the shown incidents' days, within any window given."""
    rows = shown.rows
    if len(rows):
        d_range = [int(shown.start[rows].min()), int(shown.last[rows].max())]
    else:
        d_range = [lo if lo is not None else 0, hi if hi is not None else (lo or 0)]
    if lo is not None:
        d_range[0] = max(d_range[0], lo) if len(rows) else lo
    if hi is not None:
        d_range[1] = min(d_range[1], hi) if len(rows) else hi
    return d_range

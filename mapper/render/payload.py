"""The map's data: one compact, columnar JSON document that every layer of the page shares.

Text columns are dictionary-encoded into one shared string table (``strings``)
and stored as integer codes (-1 for missing); coordinates are integers in
units of 1e-5 degree; dates are days since 1970-01-01. The page decodes this
once into typed arrays, so a 1,000,000-row map is a few arrays, not a million
JavaScript objects.

Time windows use each incident's *span*: from ``date`` to ``date_end`` when
given, otherwise to the end of the period ``date_precision`` names (an
incident known only to "March 2025" overlaps any window that touches March
2025). :func:`incident_spans` is that rule, shared by the page and the tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mapper.errors import UsageError
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
_EPOCH = np.datetime64("1970-01-01", "D")
#: Up to this many distinct values, a text column is cleaned value by value in Python.
_FEW = 2000


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
        as ``\uXXXX``, so no data text can end the script element.

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
    text = orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    out = text.decode("utf-8")
    for raw, escaped in _SCRIPT_ESCAPES.items():
        if raw in out:
            out = out.replace(raw, escaped)
    return out


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


def parse_day(value: object, *, what: str) -> int | None:
    """Return ``value`` (ISO date text, date or Timestamp) as days since 1970-01-01.

    Raises
    ------
    UsageError
        If ``value`` is not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else None
        except ValueError:
            day = None
        if day is None or len(value.strip()) != 10:
            raise UsageError(f"{what} should be a date as YYYY-MM-DD, got {value!r}")
        return (day - dt.date(1970, 1, 1)).days
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise UsageError(f"{what} should be a date as YYYY-MM-DD, got {value!r}") from err
    if pd.isna(stamp):
        return None
    return int((stamp.normalize() - pd.Timestamp("1970-01-01")).days)


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970 as float (NaN where missing) from dates or ISO date text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        arr = pd.Series(values, copy=False).to_numpy(dtype="datetime64[ns]")
    else:
        # Dates repeat: parse each distinct text once (format="mixed" parses
        # every value on its own, so this gives the same dates).
        codes, uniques = pd.factorize(pd.Series(values, copy=False))
        parsed = pd.to_datetime(pd.Series(uniques), errors="coerce", format="mixed")
        parsed_ns = parsed.to_numpy(dtype="datetime64[ns]")
        arr = np.append(parsed_ns, np.datetime64("NaT", "ns"))[codes]
    out = (arr.astype("datetime64[D]") - _EPOCH).astype("int64").astype("float64")
    out[np.isnat(arr)] = np.nan
    return out


def incident_spans(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last day (days since 1970) each incident may cover.

    The last day is ``date_end`` when given, otherwise the end of the week,
    month or year that ``date_precision`` names, otherwise ``date`` itself.
    """
    start = _days(incidents["date"])
    end = _days(incidents["date_end"]) if "date_end" in incidents else np.full(len(start), np.nan)
    if "date_precision" in incidents:
        codes, uniques = pd.factorize(incidents["date_precision"])
        texts = pd.Series(uniques).astype("string").fillna("day").to_numpy(dtype=object)
        precision = np.append(texts, "day")[codes]
    else:
        precision = np.full(len(start), "day", dtype=object)
    d = start.copy()
    ok = ~np.isnan(d)
    base = _EPOCH + np.where(ok, d, 0).astype("int64")
    month_end = (base.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (base.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    implied = d.copy()
    implied = np.where(precision == "week", d + 6, implied)
    implied = np.where(precision == "month", (month_end - _EPOCH).astype("int64"), implied)
    implied = np.where(precision == "year", (year_end - _EPOCH).astype("int64"), implied)
    last = np.where(np.isnan(end), implied, np.maximum(end, d))
    return start, last


class _Strings:
    """One sorted table of the distinct texts of every column, and each column's codes.

    Each column is factorized once over all its rows, then the codes are taken
    at the rows the page shows; texts only excluded rows use never reach the page.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._codes: dict[tuple[str, str], list[int]] = {}
        self.table: list[str] = []

    def add(
        self,
        key: tuple[str, str],
        column: pd.Series | tuple[np.ndarray, np.ndarray],
        rows: np.ndarray | None = None,
    ) -> None:
        codes, uniques = column if isinstance(column, tuple) else _encode(column)
        if rows is not None:
            codes = codes[rows]
        self._parts[key] = (codes, uniques)

    def finish(self) -> None:
        used: dict[tuple[str, str], np.ndarray] = {}
        texts: set[str] = set()
        for key, (codes, uniques) in self._parts.items():
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            used[key] = np.flatnonzero(counts)
            texts.update(str(u) for u in uniques[used[key]])
        self.table = sorted(texts)
        index = {text: i for i, text in enumerate(self.table)}
        for key, (codes, uniques) in self._parts.items():
            remap = np.full(len(uniques) + 1, -1, dtype="int64")
            for u in used[key]:
                remap[u] = index[str(uniques[u])]
            # codes of -1 (missing) pick the last slot, which stays -1.
            self._codes[key] = remap[codes]

    def codes(self, key: tuple[str, str]) -> np.ndarray:
        """Return the codes of one column (-1 where missing)."""
        return self._codes[key]


def _text(column: pd.Series) -> pd.Series:
    """Return ``column`` as stripped text, missing (NA) where empty."""
    s = pd.Series(column, copy=False)
    if s.dtype.kind == "f":
        # Figures in a text role (indicator values): 80.0 reads as "80".
        s = s.map(_number_text)
    t = s.astype("string").str.strip()
    return t.where(t != "", pd.NA)


def _encode(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return ``column`` as :func:`_text` would, dictionary-encoded.

    Returns ``(codes, texts)``: int64 codes into the distinct stripped texts,
    -1 where missing or empty. Text columns repeat a lot, so each distinct
    value is cleaned once instead of every row.
    """
    s = pd.Series(column, copy=False)
    if s.dtype.kind == "f":
        s = s.map(_number_text)
    codes, uniques = pd.factorize(s)
    codes = np.asarray(codes, dtype="int64")
    if len(uniques) <= _FEW and (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        # Few distinct texts (most columns): clean them in Python, without
        # pandas' fixed cost per call. factorize leaves no missing values.
        seen: dict[str, int] = {}
        merged = np.empty(len(uniques) + 1, dtype="int64")
        for i, value in enumerate(np.asarray(uniques, dtype=object)):
            text = str(value).strip()
            merged[i] = seen.setdefault(text, len(seen)) if text else -1
        merged[-1] = -1
        return merged[codes], np.array(list(seen), dtype=object)
    clean = _text(pd.Series(uniques))
    # Values that differ only in surrounding spaces become one text.
    merged, texts = pd.factorize(clean)
    remap = np.append(np.asarray(merged, dtype="int64"), -1)
    return remap[codes], np.asarray(texts, dtype=object)


def _decoded(encoded: tuple[np.ndarray, np.ndarray], missing: object = None) -> np.ndarray:
    """Per-row texts (object array) of an encoded column, ``missing`` where -1."""
    codes, texts = encoded
    return np.append(texts, np.array([missing], dtype=object))[codes]


def _lookup(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Position in ``keys`` (first occurrence) of each of ``values`` (stripped texts), or -1."""
    both = pd.concat([pd.Series(keys), pd.Series(values)], ignore_index=True)
    codes, texts = _encode(both)
    k, v = codes[: len(keys)], codes[len(keys) :]
    where = np.full(len(texts) + 1, -1, dtype="int64")
    valid = np.flatnonzero(k >= 0)[::-1]
    # Written last to first, so the first occurrence wins.
    where[k[valid]] = valid
    return where[v]


def _sort_rank(texts: np.ndarray) -> np.ndarray:
    """Rank of each text in sorted order (ties share nothing: texts are distinct)."""
    rank = np.empty(len(texts) + 1, dtype="int64")
    rank[pd.Series(texts, dtype="str").argsort().to_numpy()] = np.arange(len(texts))
    rank[-1] = -1  # missing sorts first, as "" would
    return rank


def _number_text(value: float) -> object:
    if pd.isna(value):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * len(frame), dtype=object)


def _is_part(part_of: pd.Series) -> np.ndarray:
    """1 where a claim names the claim it is a part of, else 0 (int8)."""
    named = part_of.notna().to_numpy() & (part_of.astype(str).str.strip() != "").to_numpy()
    return named.astype("int8")


def _coords(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude as floats (NaN where missing), geometry first."""
    n = len(frame)
    lat = pd.to_numeric(_column(frame, "latitude"), errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(_column(frame, "longitude"), errors="coerce").to_numpy(dtype="float64")
    geom = frame["geometry"] if "geometry" in frame.columns else None
    if geom is not None and n:
        import shapely

        arr = np.asarray(geom.values, dtype=object)
        ok = ~shapely.is_missing(arr) & ~shapely.is_empty(arr)
        gx = np.full(n, np.nan)
        gy = np.full(n, np.nan)
        if ok.any():
            gx[ok] = shapely.get_x(arr[ok])
            gy[ok] = shapely.get_y(arr[ok])
        lat = np.where(np.isnan(gy), lat, gy)
        lon = np.where(np.isnan(gx), lon, gx)
    return lat, lon


def _micro(values: np.ndarray) -> np.ndarray:
    """Degrees as integers of 1e-5 degree (about 1 m), 0 where missing."""
    clean = np.where(np.isfinite(values), values, 0.0)
    return np.round(clean * 1e5).astype("int64")


def _vocab_codes(column: pd.Series, vocab: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
    codes, texts = _encode(column)
    remap = np.append(pd.Index(list(vocab)).get_indexer(texts), -1).astype("int64")
    return remap[codes[rows]]


def _optional_ints(values: np.ndarray | pd.Series) -> list[int | None]:
    arr = np.asarray(values, dtype="float64")
    missing = np.isnan(arr).tolist()
    ints = np.where(np.isnan(arr), 0, arr).astype("int64").tolist()
    return [None if m else v for v, m in zip(ints, missing, strict=True)]


def _optional_days(column: pd.Series) -> list[int | None]:
    return _optional_ints(_days(column))


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
    lo = parse_day(since, what="--since")
    hi = parse_day(until, what="--until")
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--since should not be after --until, got {_iso(lo)} after {_iso(hi)}")

    inc = dataset.incidents
    start, last = incident_spans(inc) if len(inc) else (np.array([]), np.array([]))
    keep = ~np.isnan(start)
    if lo is not None:
        keep &= last >= lo
    if hi is not None:
        keep &= start <= hi
    # The rows the page shows, in (date, id) order: every per-row column is
    # computed over all rows and taken at ``rows``, which is cheaper than
    # filtering and sorting the whole frame.
    id_codes, id_texts = _encode(_column(inc, "incident_id"))
    cand = np.flatnonzero(keep)
    # np.lexsort is stable, like the (date, id) sort it replaces.
    order = np.lexsort((_sort_rank(id_texts)[id_codes[cand]], start[cand]))
    rows = cand[order]
    inc_ids = _decoded((id_codes[rows], id_texts), "")

    lat, lon = _coords(inc)
    lat, lon = lat[rows], lon[rows]
    placed = np.isfinite(lat) & np.isfinite(lon)
    if "placement" in inc.columns:
        placed &= _decoded(_encode(inc["placement"]), "placed")[rows] != "unplaced"

    claims = pd.DataFrame(dataset.claims).reset_index(drop=True)
    ops = pd.DataFrame(dataset.operations).reset_index(drop=True)
    sites = pd.DataFrame(dataset.sites).reset_index(drop=True)
    indicators = pd.DataFrame(dataset.indicators).reset_index(drop=True)

    # Operations: those any kept incident belongs to, or whose dates overlap.
    op_codes, op_texts = _encode(_column(inc, "operation"))
    op_codes = op_codes[rows]
    op_keys_inc = set(op_texts[np.flatnonzero(np.bincount(op_codes[op_codes >= 0]))])
    if len(ops):
        ops["_key"] = _text(_column(ops, "operation")).to_numpy()
        ops = ops[ops["_key"].notna()]
        o_start = _days(_column(ops, "date"))
        o_end = _days(_column(ops, "date_end"))
        o_last = np.where(np.isnan(o_end), o_start, o_end)
        o_keep = ops["_key"].isin(op_keys_inc).to_numpy()
        window = ~np.isnan(o_start)
        if lo is not None:
            window &= o_last >= lo
        if hi is not None:
            window &= o_start <= hi
        ops = ops[o_keep | window].sort_values("_key", kind="mergesort").reset_index(drop=True)
        ops = ops.drop_duplicates("_key").reset_index(drop=True)
    else:
        ops = pd.DataFrame({"_key": pd.Series([], dtype=object)})
    op_index = pd.Index(ops["_key"].tolist())

    # The claims about a kept incident or operation, ordered by (incident,
    # operation, claim id); ``c_rows`` are their positions in ``claims``.
    c_inc = _lookup(_column(inc, "incident_id").iloc[rows], _column(claims, "incident_id"))
    c_op = _lookup(pd.Series(ops["_key"], dtype=object), _column(claims, "operation"))
    c_keep = np.flatnonzero((c_inc >= 0) | (c_op >= 0))
    cid_codes, cid_texts = _encode(_column(claims, "claim_id"))
    c_rows = c_keep[
        np.lexsort((_sort_rank(cid_texts)[cid_codes[c_keep]], c_op[c_keep], c_inc[c_keep]))
    ]

    inc_text = {
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
    claim_text = {
        "claimant": "claimant",
        "side": "claimant_side",
        "subject": "subject",
        "outcome": "outcome",
        "quote": "quote",
        "source": "source",
    }
    op_text = {"name": "name", "actor": "actor", "desc": "description", "src": "sources"}
    site_text = {
        "name": "name",
        "kind": "kind",
        "prec": "location_precision",
        "desc": "description",
        "src": "sources",
    }
    ind_text = {
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
    strings = _Strings()
    for key, col in inc_text.items():
        strings.add(("inc", key), _column(inc, col), rows)
    for key, col in claim_text.items():
        strings.add(("claims", key), _column(claims, col), c_rows)
    for name, frame, text in (
        ("ops", ops, op_text),
        ("ind", indicators, ind_text),
    ):
        for key, col in text.items():
            strings.add((name, key), _column(frame, col))

    # Event types in ACLED's order, then any others (imported data) sorted.
    type_codes, type_texts = _encode(_column(inc, "event_type"))
    type_codes = type_codes[rows]
    present = set(type_texts[np.flatnonzero(np.bincount(type_codes[type_codes >= 0]))])
    types = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
    if not types:
        types = list(EVENT_TYPES)

    s_lat, s_lon = _coords(sites)
    s_ok = np.isfinite(s_lat) & np.isfinite(s_lon)
    for key, col in site_text.items():
        strings.add(("sites", key), _column(sites, col), np.flatnonzero(s_ok))
    # Columns of an imported table that our schema has no place for: shown in
    # the popup under their own names, so that nothing in the user's file is lost.
    ours = {*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS, "geometry"}
    kept_names = [str(c) for c in inc.columns if c not in ours and not str(c).startswith("_")]
    for n, col in enumerate(kept_names):
        strings.add(("kept", str(n)), _column(inc, col), rows)
    strings.finish()

    incidents_json: dict[str, Any] = {
        "id": inc_ids.tolist(),
        "lat": _micro(np.where(placed, lat, np.nan)),
        "lon": _micro(np.where(placed, lon, np.nan)),
        "placed": placed.astype("int64"),
        "d0": start[rows].astype("int64"),
        "d1": last[rows].astype("int64"),
        "has_end": _column(inc, "date_end").notna().to_numpy()[rows].astype("int64"),
        "dp": _vocab_codes(_column(inc, "date_precision"), DATE_PRECISIONS, rows),
        "prec": _vocab_codes(_column(inc, "location_precision"), LOCATION_PRECISIONS, rows),
        "type": np.append(pd.Index(types).get_indexer(type_texts), -1)[type_codes],
        "op": np.append(op_index.get_indexer(op_texts), -1)[op_codes],
    }
    for key in inc_text:
        incidents_json[key] = strings.codes(("inc", key))

    low = pd.to_numeric(_column(claims, "low"), errors="coerce").iloc[c_rows]
    high = pd.to_numeric(_column(claims, "high"), errors="coerce").iloc[c_rows]
    claims_json: dict[str, Any] = {
        "id": _decoded((cid_codes[c_rows], cid_texts), "").tolist(),
        "inc": c_inc[c_rows],
        "op": c_op[c_rows],
        "on": _optional_ints(_days(_column(claims, "claimed_on"))[c_rows]),
        "low": low.fillna(0).to_numpy(dtype="int64"),
        "high": _optional_ints(high),
        # 1 for a claim that is part of another (a group's dead within a total):
        # the page never adds a whole and its parts.
        "part": _is_part(_column(claims, "part_of"))[c_rows].tolist(),
    }
    for key in claim_text:
        claims_json[key] = strings.codes(("claims", key))
    claimants = sorted(
        set(np.unique(claims_json["claimant"]).tolist()) - {-1}, key=lambda c: strings.table[c]
    )

    # Member places of each operation, grouped with one sort (there may be many).
    member_op = np.asarray(incidents_json["op"], dtype="int64")
    member_rows = np.flatnonzero((member_op >= 0) & placed)
    member_rows = member_rows[np.argsort(member_op[member_rows], kind="stable")]
    bounds = np.searchsorted(member_op[member_rows], np.arange(len(ops) + 1))
    ops_json: dict[str, Any] = {
        "key": ops["_key"].tolist(),
        "d0": _optional_days(_column(ops, "date")),
        "d1": _optional_days(_column(ops, "date_end")),
        "hull": [
            _hull(lat[member_rows[a:b]], lon[member_rows[a:b]])
            for a, b in itertools.pairwise(bounds)
        ],
    }
    for key in op_text:
        ops_json[key] = strings.codes(("ops", key))

    sites_json: dict[str, Any] = {"lat": _micro(s_lat[s_ok]), "lon": _micro(s_lon[s_ok])}
    for key in site_text:
        sites_json[key] = strings.codes(("sites", key))

    ind_json = {key: strings.codes(("ind", key)) for key in ind_text}

    attribution: list[str] = []
    for line in [*list(dataset.attribution or []), GEONAMES_ATTRIBUTION]:
        text = str(line).strip()
        if text and text not in attribution:
            attribution.append(text)

    if len(rows):
        d_range = [int(start[rows].min()), int(last[rows].max())]
    else:
        d_range = [lo if lo is not None else 0, hi if hi is not None else (lo or 0)]
    if lo is not None:
        d_range[0] = max(d_range[0], lo) if len(rows) else lo
    if hi is not None:
        d_range[1] = min(d_range[1], hi) if len(rows) else hi

    return {
        "version": PAYLOAD_VERSION,
        "title": (title if title is not None else dataset.name) or "Incidents",
        "attribution": attribution,
        "types": types,
        "precisions": list(LOCATION_PRECISIONS),
        "date_precisions": list(DATE_PRECISIONS),
        "range": d_range,
        "claimants": claimants,
        "strings": strings.table,
        "incidents": incidents_json,
        "claims": claims_json,
        "operations": ops_json,
        "sites": sites_json,
        "indicators": ind_json,
        "kept": {
            "names": kept_names,
            "values": [strings.codes(("kept", str(n))) for n in range(len(kept_names))],
        },
    }


def _iso(day: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()

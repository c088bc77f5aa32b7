"""Columns for the page: texts coded into one string table, places and days as integers.

Text columns are stored as integer codes into one sorted table of strings (-1
for missing); coordinates are integers in units of 1e-5 degree. The page
decodes these once into typed arrays, so a 1,000,000-row map is a few arrays,
not a million JavaScript objects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapper.render.days import days

#: Up to this many distinct values, a text column is cleaned value by value in Python.
_FEW = 2000

#: A column as (int64 codes, distinct texts); code -1 is missing.
Encoded = tuple[np.ndarray, np.ndarray]


class StringTable:
    """One sorted table of the distinct texts of every column, and each column's codes.

    Each column is factorized once over all its rows, then the codes are taken
    at the rows the page shows; texts only excluded rows use never reach the page.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], Encoded] = {}
        self._codes: dict[tuple[str, str], np.ndarray] = {}
        self.table: list[str] = []

    def add_columns(
        self,
        table: str,
        frame: pd.DataFrame,
        names: dict[str, str],
        rows: np.ndarray | None = None,
    ) -> None:
        """Add the columns ``names`` (page key -> frame column) of ``frame``, at ``rows``."""
        for key, name in names.items():
            codes, uniques = encode(column(frame, name))
            self._parts[(table, key)] = (codes if rows is None else codes[rows], uniques)

    def finish(self) -> None:
        """Build the sorted table from the texts the added columns use, and recode them."""
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

    def columns(self, table: str, names: dict[str, str]) -> dict[str, np.ndarray]:
        """Return the codes (-1 where missing) of the columns added as ``table``, by page key."""
        return {key: self._codes[(table, key)] for key in names}


def text(values: pd.Series) -> pd.Series:
    """Return ``values`` as stripped text, missing (NA) where empty."""
    s = pd.Series(values, copy=False)
    if s.dtype.kind == "f":
        # Figures in a text role (indicator values): 80.0 reads as "80".
        s = s.map(_number_text)
    t = s.astype("string").str.strip()
    return t.where(t != "", pd.NA)


def encode(values: pd.Series) -> Encoded:
    """Return ``values`` as :func:`text` would, dictionary-encoded.

    Returns ``(codes, texts)``: int64 codes into the distinct stripped texts,
    -1 where missing or empty. Text columns repeat a lot, so each distinct
    value is cleaned once instead of every row.
    """
    s = pd.Series(values, copy=False)
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
            cleaned = str(value).strip()
            merged[i] = seen.setdefault(cleaned, len(seen)) if cleaned else -1
        merged[-1] = -1
        return merged[codes], np.array(list(seen), dtype=object)
    clean = text(pd.Series(uniques))
    # Values that differ only in surrounding spaces become one text.
    merged, texts = pd.factorize(clean)
    remap = np.append(np.asarray(merged, dtype="int64"), -1)
    return remap[codes], np.asarray(texts, dtype=object)


def decoded(encoded: Encoded, missing: object = None) -> np.ndarray:
    """Per-row texts (object array) of an encoded column, ``missing`` where -1."""
    codes, texts = encoded
    return np.append(texts, np.array([missing], dtype=object))[codes]


def present(codes: np.ndarray, texts: np.ndarray) -> set[str]:
    """Return the texts that ``codes`` use."""
    return set(texts[np.flatnonzero(np.bincount(codes[codes >= 0]))])


def lookup(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Position in ``keys`` (first occurrence) of each of ``values`` (stripped texts), or -1."""
    import pyarrow.compute as pc

    # Arrow's hash lookup: no Python object per row, and no shared coding of both sides.
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(keys), skip_nulls=True)
    return found.fill_null(-1).to_numpy().astype("int64", copy=False)


def _arrow_text(values: pd.Series) -> object:
    """Return ``values`` as :func:`text` would, as an Arrow array (null where missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    s = pd.Series(values, copy=False)
    if s.dtype.kind == "f":
        s = s.map(_number_text)
    stripped = pc.utf8_trim_whitespace(pa.array(s.astype("string"), type=pa.string()))
    return pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.string()), stripped)


def sort_rank(texts: np.ndarray) -> np.ndarray:
    """Rank of each text in sorted order (ties share nothing: texts are distinct)."""
    rank = np.empty(len(texts) + 1, dtype="int64")
    rank[pd.Series(texts, dtype="str").argsort().to_numpy()] = np.arange(len(texts))
    rank[-1] = -1  # missing sorts first, as "" would
    return rank


def taken(encoded: Encoded, rows: np.ndarray) -> Encoded:
    """Return an encoded column at ``rows`` only (same texts)."""
    codes, texts = encoded
    return codes[rows], texts


def positions(encoded: Encoded, vocab: list[str] | tuple[str, ...]) -> np.ndarray:
    """Position in ``vocab`` of each row's text, or -1 (missing or not in ``vocab``)."""
    codes, texts = encoded
    return np.append(pd.Index(list(vocab)).get_indexer(texts), -1).astype("int64")[codes]


def _number_text(value: float) -> object:
    if pd.isna(value):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return ``frame[name]`` with a fresh index, or all missing if there is no such column."""
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * len(frame), dtype=object)


def coords(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude as floats (NaN where missing), geometry first."""
    n = len(frame)
    lat = pd.to_numeric(column(frame, "latitude"), errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(column(frame, "longitude"), errors="coerce").to_numpy(dtype="float64")
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


def micro(values: np.ndarray) -> np.ndarray:
    """Degrees as integers of 1e-5 degree (about 1 m), 0 where missing."""
    clean = np.where(np.isfinite(values), values, 0.0)
    return np.round(clean * 1e5).astype("int64")


def optional_ints(values: np.ndarray | pd.Series) -> list[int | None]:
    """Return ``values`` as a list of ints, None where missing (NaN)."""
    arr = np.asarray(values, dtype="float64")
    missing = np.isnan(arr).tolist()
    ints = np.where(np.isnan(arr), 0, arr).astype("int64").tolist()
    return [None if m else v for v, m in zip(ints, missing, strict=True)]


def optional_days(values: pd.Series) -> list[int | None]:
    """Return dates as days since 1970, None where missing."""
    return optional_ints(days(values))

"""Measure how well a gazetteer places the place names of a geocoded event table.

A geocoded table (ACLED, UCDP GED, GTD, or any table with a place name and a
coordinate on every row) is its own answer key: resolve its names, compare
with its coordinates.

Figures, for the rows that name a place:

- share of rows placed, and of distinct names (as written) placed;
- among the *precise* rows (the table says its point is the named place:
  ACLED ``geo_precision`` 1, UCDP ``where_prec`` 1, GTD ``specificity`` 1, or
  ``--precise-values`` of ``--precision-column``), the share of placed rows
  within 10 km and within 25 km of the table's point, and the share of all
  precise rows within 10 km / more than 25 km off;
- coarse rows (district- or province-level points) are left out of the
  distance figures and only counted (placed or not);
- the worst misplacements: name, where the table puts it, where the gazetteer
  puts it, kilometres.

With several ``--threshold`` values it prints the fuzzy threshold's trade-off
(placed share against the share within 25 km among placed rows).

With ``--learn-from A.csv`` it runs the experiment "learn a gazetteer from table
A, resolve table B (TABLE) with B's district column as the hint": the bundled
gazetteer alone, a naive baseline (the median point of A's precise rows per
normalised name), and ``mapper.gazetteer.sources.learned.learn_gazetteer`` when it is installed.

Run::

    .venv/bin/python benchmarks/gazetteer_eval.py data/eval/acled.csv
    .venv/bin/python benchmarks/gazetteer_eval.py data/eval/ucdp.csv \\
        --learn-from data/eval/acled.csv
    .venv/bin/python benchmarks/gazetteer_eval.py TABLE --name-column place \\
        --lat-column lat --lon-column lon --threshold 70 80 90

``--smoke`` checks in a few seconds that the script still works: without a TABLE
it evaluates the first 200 rows of ``data/eval/acled.csv``, compares two
thresholds and learns from the first 300 rows of ``data/eval/ucdp.csv``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mapper.errors import MapperError, UsageError
from mapper.gazetteer import (
    LARGE_TABLE_THRESHOLD,
    Gazetteer,
    PlaceRow,
    curated_table,
    normalize_name,
    read_gazetteer_file,
    write_gazetteer_csv,
)
from mapper.gazetteer.sources.geonames import default_table
from mapper.geo import haversine_km

# Column roles of the layouts a table is recognised by (name, lat, lon, precision and
# the hints). UCDP's "Balochistan province" and "Kech district" are read as areas.
LAYOUTS: dict[str, dict[str, str | None]] = {
    "acled": {"name": "location", "lat": "latitude", "lon": "longitude",
              "precision": "geo_precision", "district": "admin2", "province": "admin1",
              "country": "country"},
    "ucdp": {"name": "where_coordinates", "lat": "latitude", "lon": "longitude",
             "precision": "where_prec", "district": "adm_2", "province": "adm_1",
             "country": "country"},
    "gtd": {"name": "city", "lat": "latitude", "lon": "longitude",
            "precision": "specificity", "district": None, "province": "provstate",
            "country": "country_txt"},
}  # fmt: skip
#: Distances that count as "placed right" and "placed wrong" (km).
NEAR_KM = 10.0
FAR_KM = 25.0


@dataclass(frozen=True)
class Columns:
    """Which columns of a table play which role (None: absent)."""

    name: str
    lat: str
    lon: str
    precision: str | None = None
    precise_values: tuple[str, ...] = ("1",)
    district: str | None = None
    province: str | None = None
    country: str | None = None
    #: The true place's coordinates, when the table has an answer key (synthetic tables).
    truth_lat: str | None = None
    truth_lon: str | None = None


def detect_layout(columns: Sequence[str]) -> str | None:
    """Return "acled", "ucdp" or "gtd" if a table's columns are that layout's, else None."""
    have = set(columns)
    for layout, roles in LAYOUTS.items():
        needed = [roles[r] for r in ("name", "lat", "lon", "precision")]
        if all(c in have for c in needed):
            return layout
    return None


@dataclass
class Evaluation:
    """The figures for one table and one gazetteer (counts; shares are properties)."""

    rows: int
    placed: int
    names: int
    names_placed: int
    precise: int
    precise_placed: int
    within_near: int
    within_far: int
    coarse: int
    coarse_placed: int
    by_match_type: dict[str, tuple[int, int]] = field(default_factory=dict)
    worst: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: With an answer key: precise placed rows within 10 / 25 km of the true place, and
    #: precise rows whose own point is within 25 km of it (the table's own errors).
    truth_near: int | None = None
    truth_far: int | None = None
    table_true: int | None = None
    #: With an answer key: the worst answers measured from the true place.
    worst_truth: pd.DataFrame = field(default_factory=pd.DataFrame)

    @staticmethod
    def _share(part: int, whole: int) -> float:
        return part / whole if whole else float("nan")

    @property
    def placed_share(self) -> float:
        """Placed rows / rows with a name."""
        return self._share(self.placed, self.rows)

    @property
    def names_placed_share(self) -> float:
        """Placed distinct names / distinct names."""
        return self._share(self.names_placed, self.names)

    @property
    def near_share_of_placed(self) -> float:
        """Precise placed rows within 10 km / precise placed rows."""
        return self._share(self.within_near, self.precise_placed)

    @property
    def far_share_of_placed(self) -> float:
        """Precise placed rows within 25 km / precise placed rows."""
        return self._share(self.within_far, self.precise_placed)

    @property
    def near_share_of_precise(self) -> float:
        """Precise rows placed within 10 km / all precise rows."""
        return self._share(self.within_near, self.precise)

    @property
    def off_share_of_precise(self) -> float:
        """Precise rows placed more than 25 km off / all precise rows."""
        return self._share(self.precise_placed - self.within_far, self.precise)


def precise_mask(table: pd.DataFrame, cols: Columns) -> pd.Series:
    """True for rows whose point stands for the named place (all rows without a precision)."""
    if cols.precision is None:
        return pd.Series(True, index=table.index)
    text = table[cols.precision].astype("str").str.strip()
    return text.isin(cols.precise_values)


def evaluate(
    table: pd.DataFrame,
    matches: pd.DataFrame,
    cols: Columns,
    *,
    worst: int = 10,
) -> Evaluation:
    """Compare ``matches`` (``resolve_many``'s result, aligned) with the table's coordinates.

    Rows without a name are left out. Precise rows without coordinates count as
    precise but never as within a distance.
    """
    names = table[cols.name]
    has_name = names.notna() & (names.astype("str").str.strip() != "")
    placed = matches["matched_name"].notna() & has_name
    precise = precise_mask(table, cols) & has_name
    km = pd.Series(
        haversine_km(
            pd.to_numeric(table[cols.lat], errors="coerce"),
            pd.to_numeric(table[cols.lon], errors="coerce"),
            matches["latitude"],
            matches["longitude"],
        ),
        index=table.index,
    )
    scored = placed & precise
    near = scored & (km <= NEAR_KM)
    far_ok = scored & (km <= FAR_KM)
    distinct = names[has_name].astype("str")
    placed_names = set(distinct[placed[has_name]])
    by_type = {}
    for mt, grp in matches.loc[scored, "match_type"].groupby(matches.loc[scored, "match_type"]):
        by_type[str(mt)] = (len(grp), int(far_ok[grp.index].sum()))
    truth: dict[str, Any] = {}
    if cols.truth_lat and cols.truth_lon:
        true_lat = pd.to_numeric(table[cols.truth_lat], errors="coerce")
        true_lon = pd.to_numeric(table[cols.truth_lon], errors="coerce")
        to_truth = haversine_km(true_lat, true_lon, matches["latitude"], matches["longitude"])
        own = haversine_km(
            true_lat,
            true_lon,
            pd.to_numeric(table[cols.lat], errors="coerce"),
            pd.to_numeric(table[cols.lon], errors="coerce"),
        )
        truth = {
            "truth_near": int((scored & (to_truth <= NEAR_KM)).sum()),
            "truth_far": int((scored & (to_truth <= FAR_KM)).sum()),
            "table_true": int((precise & (own <= FAR_KM)).sum()),
            "worst_truth": _worst(
                table, matches, scored & (to_truth > FAR_KM), cols, true_lat, true_lon, worst
            ),
        }
    lat = pd.to_numeric(table[cols.lat], errors="coerce")
    lon = pd.to_numeric(table[cols.lon], errors="coerce")
    bad = _worst(table, matches, scored & ~far_ok, cols, lat, lon, worst)
    return Evaluation(
        rows=int(has_name.sum()),
        placed=int(placed.sum()),
        names=int(distinct.nunique()),
        names_placed=len(placed_names),
        precise=int(precise.sum()),
        precise_placed=int(scored.sum()),
        within_near=int(near.sum()),
        within_far=int(far_ok.sum()),
        coarse=int((has_name & ~precise).sum()),
        coarse_placed=int((placed & ~precise).sum()),
        by_match_type=by_type,
        worst=bad,
        **truth,
    )


def _worst(
    table: pd.DataFrame,
    matches: pd.DataFrame,
    mask: pd.Series,
    cols: Columns,
    ref_lat: pd.Series,
    ref_lon: pd.Series,
    n: int,
) -> pd.DataFrame:
    """The rows of ``mask`` furthest from the reference point, one per (name, answer)."""
    bad = pd.DataFrame(
        {
            "name": table.loc[mask, cols.name],
            "table_lat": ref_lat[mask],
            "table_lon": ref_lon[mask],
            "matched_name": matches.loc[mask, "matched_name"],
            "match_type": matches.loc[mask, "match_type"],
            "gaz_lat": matches.loc[mask, "latitude"],
            "gaz_lon": matches.loc[mask, "longitude"],
        }
    )
    bad["km"] = haversine_km(bad["table_lat"], bad["table_lon"], bad["gaz_lat"], bad["gaz_lon"])
    if bad.empty:
        return bad.assign(rows=pd.Series(dtype=int)).reset_index(drop=True)
    # One line per (name, gazetteer answer): the row furthest off and how many rows share it.
    bad["rows"] = bad.groupby(["name", "matched_name"])["km"].transform("size")
    bad = bad.sort_values("km", ascending=False, kind="stable")
    return bad.drop_duplicates(["name", "matched_name"]).head(n).reset_index(drop=True)


def resolve_table(table: pd.DataFrame, gazetteer: Gazetteer, cols: Columns) -> pd.DataFrame:
    """Resolve the table's names with its hint columns, as a user would."""
    hints = {
        role: table[col] if col is not None else None
        for role, col in (
            ("district", cols.district),
            ("province", cols.province),
            ("country", cols.country),
        )
    }
    names = table[cols.name].astype("str").where(table[cols.name].notna(), None)
    return gazetteer.resolve_many(names, progress=False, **hints)


#: The hint columns of a table, most precise last (the "with hints" run uses them all).
HINT_ROLES: tuple[str, ...] = ("country", "province", "district")


@dataclass(frozen=True)
class Outcome:
    """Precise rows placed within 10 km, placed over 25 km off, and unplaced (counts)."""

    rows: int
    near: int
    far: int
    unplaced: int

    def shares(self) -> tuple[float, float, float]:
        """Return the three counts as shares of ``rows``."""
        n = self.rows or 1
        return self.near / n, self.far / n, self.unplaced / n


def outcomes(
    table: pd.DataFrame, matches: pd.DataFrame, cols: Columns, *, by: str | None = None
) -> dict[str, Outcome]:
    """Sort the precise named rows into within 10 km, over 25 km off and unplaced.

    Distances are measured from the true place when the table has an answer
    key, else from the table's own point. With ``by`` (a column such as the
    synthetic ``true_case``), one outcome per value as well as "all".
    """
    names = table[cols.name]
    has_name = names.notna() & (names.astype("str").str.strip() != "")
    precise = precise_mask(table, cols) & has_name
    lat_col, lon_col = (cols.truth_lat, cols.truth_lon) if cols.truth_lat else (cols.lat, cols.lon)
    km = pd.Series(
        haversine_km(
            pd.to_numeric(table[lat_col], errors="coerce"),
            pd.to_numeric(table[lon_col], errors="coerce"),
            matches["latitude"],
            matches["longitude"],
        ),
        index=table.index,
    )
    placed = matches["matched_name"].notna()
    groups = {"all": precise}
    if by is not None and by in table.columns:
        for value in sorted(table.loc[precise, by].dropna().unique()):
            groups[str(value)] = precise & (table[by] == value)
    return {
        label: Outcome(
            rows=int(mask.sum()),
            near=int((mask & placed & (km <= NEAR_KM)).sum()),
            far=int((mask & placed & (km > FAR_KM)).sum()),
            unplaced=int((mask & ~placed).sum()),
        )
        for label, mask in groups.items()
    }


def hints_comparison(
    table: pd.DataFrame, gazetteer: Gazetteer, cols: Columns
) -> dict[str, dict[str, Outcome]]:
    """Resolve the table with its hint columns and without any; return both outcomes."""
    bare = Columns(cols.name, cols.lat, cols.lon, cols.precision, cols.precise_values,
                   truth_lat=cols.truth_lat, truth_lon=cols.truth_lon)  # fmt: skip
    by = "true_case" if "true_case" in table.columns else None
    return {
        "with hints": outcomes(table, resolve_table(table, gazetteer, cols), cols, by=by),
        "no hints": outcomes(table, resolve_table(table, gazetteer, bare), cols, by=by),
    }


def describe_hints(results: dict[str, dict[str, Outcome]], cols: Columns) -> str:
    """A Markdown table: per row kind, within 10 km / over 25 km off / unplaced, both runs."""
    ref = "the true place" if cols.truth_lat else "the table's point"
    hints = ", ".join(c for c in (cols.country, cols.province, cols.district) if c) or "none"
    lines = [
        f"precise rows, measured from {ref}; hints: {hints}",
        "| rows | n | with hints: ≤10 km / >25 km / unplaced | no hints: ≤10 km / >25 km / "
        "unplaced |",
        "| --- | ---: | ---: | ---: |",
    ]
    with_h, without = results["with hints"], results["no hints"]
    for label, out in with_h.items():
        cells = []
        for run in (out, without[label]):
            near, far, unplaced = run.shares()
            cells.append(f"{_pct(near)} / {_pct(far)} / {_pct(unplaced)}")
        lines.append(f"| {label} | {out.rows:,} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def build_gazetteer(
    files: Sequence[str | Path] = (),
    *,
    threshold: float | None = None,
    large_threshold: float = LARGE_TABLE_THRESHOLD,
) -> Gazetteer:
    """The default gazetteer with ``files`` first, at a given fuzzy threshold."""
    if threshold is None:
        return Gazetteer.default().with_files(*files)
    tables = [read_gazetteer_file(f) for f in files]
    return Gazetteer(
        [*tables, curated_table(), default_table],
        threshold=threshold,
        large_threshold=max(threshold, large_threshold),
    )


def naive_learned_rows(table: pd.DataFrame, cols: Columns) -> list[PlaceRow]:
    """Baseline learner: the median point of a table's precise rows per normalised name.

    No outlier handling, no homonyms, the most frequent spelling and district.
    """
    precise = table[precise_mask(table, cols) & table[cols.name].notna()]
    keys = precise[cols.name].astype("str").map(normalize_name)
    rows = []
    for _key, grp in precise.groupby(keys, sort=True):
        if not _key:
            continue
        district = grp[cols.district].mode() if cols.district else pd.Series([], dtype=object)
        rows.append(
            PlaceRow(
                name=str(grp[cols.name].astype("str").mode().iloc[0]),
                latitude=float(pd.to_numeric(grp[cols.lat]).median()),
                longitude=float(pd.to_numeric(grp[cols.lon]).median()),
                kind="place",
                district=str(district.iloc[0]) if len(district) else None,
                source="naive median",
            )
        )
    return rows


def columns_for(table: pd.DataFrame, args: argparse.Namespace, path: object) -> Columns:
    """Column roles: the layout's defaults, overridden by explicit options."""
    layout = detect_layout(table.columns)
    roles: dict[str, Any] = dict(LAYOUTS[layout]) if layout else {}
    for role in ("name", "lat", "lon", "precision", "district", "province", "country"):
        given = getattr(args, f"{role}_column", None)
        if given is not None:
            roles[role] = given or None  # "" switches a hint off
    missing = [r for r in ("name", "lat", "lon") if not roles.get(r)]
    if missing:
        raise UsageError(
            f"{path}: not an ACLED, UCDP GED or GTD layout; expected --name-column, "
            f"--lat-column and --lon-column (columns found: {', '.join(map(str, table.columns))})"
        )
    for role, col in roles.items():
        if col is not None and col not in table.columns:
            raise UsageError(
                f"{path}: expected a column {col!r} for the {role}, got columns "
                f"{', '.join(map(str, table.columns))}"
            )
    truth = args.truth_columns
    if truth is None and {"true_latitude", "true_longitude"} <= set(table.columns):
        truth = ["true_latitude", "true_longitude"]
    if truth:
        absent = [c for c in truth if c not in table.columns]
        if absent:
            raise UsageError(f"{path}: expected answer-key columns {', '.join(absent)}")
    return Columns(
        name=roles["name"],
        lat=roles["lat"],
        lon=roles["lon"],
        precision=roles.get("precision"),
        precise_values=tuple(args.precise_values),
        district=roles.get("district"),
        province=roles.get("province"),
        country=roles.get("country"),
        truth_lat=truth[0] if truth else None,
        truth_lon=truth[1] if truth else None,
    )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a geocoded CSV with every column as text (coordinates parsed where needed)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as err:
        raise UsageError(f"{path}: could not read the table ({err})") from err


# --- printing --------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f} %"


def describe_worst(worst: pd.DataFrame, *, where: str = "table") -> list[str]:
    """One line per misplacement."""
    return [
        f"  {r.name!r:32} {where} ({r.table_lat}, {r.table_lon})  gazetteer "
        f"{r.matched_name!r} ({r.gaz_lat:.4f}, {r.gaz_lon:.4f}) {r.match_type}  "
        f"{r.km:,.0f} km  [{r.rows} row{'s' if r.rows != 1 else ''}]"
        for r in worst.itertuples()
    ]


def describe(ev: Evaluation, cols: Columns) -> str:
    """The figures as text."""
    lines = [
        f"rows with a name          {ev.rows:>7,}",
        f"placed rows               {ev.placed:>7,}  {_pct(ev.placed_share)}",
        f"distinct names placed     {ev.names_placed:>7,} of {ev.names:,}  "
        f"{_pct(ev.names_placed_share)}",
        f"precise rows ({cols.precision or 'all rows'} in {'/'.join(cols.precise_values)})"
        if cols.precision
        else "precise rows (no precision column: all rows)",
        f"  placed                  {ev.precise_placed:>7,}  "
        f"{_pct(Evaluation._share(ev.precise_placed, ev.precise))}",
        f"  within {NEAR_KM:g} km (of placed) {ev.within_near:>5,}  "
        f"{_pct(ev.near_share_of_placed)}",
        f"  within {FAR_KM:g} km (of placed) {ev.within_far:>5,}  {_pct(ev.far_share_of_placed)}",
        f"  of all precise rows: within {NEAR_KM:g} km {_pct(ev.near_share_of_precise)}, "
        f"more than {FAR_KM:g} km off {_pct(ev.off_share_of_precise)}",
        f"coarse rows (not in the distance figures) {ev.coarse:,}, placed {ev.coarse_placed:,}",
    ]
    if ev.truth_far is not None:
        lines.append(
            f"against the answer key: precise placed rows within {NEAR_KM:g} km of the true place "
            f"{_pct(Evaluation._share(ev.truth_near, ev.precise_placed))}, within {FAR_KM:g} km "
            f"{_pct(Evaluation._share(ev.truth_far, ev.precise_placed))}; the table's own points "
            f"within {FAR_KM:g} km of it {_pct(Evaluation._share(ev.table_true, ev.precise))}"
        )
    if ev.by_match_type:
        parts = [
            f"{mt} {n:,} ({_pct(ok / n)} within {FAR_KM:g} km)"
            for mt, (n, ok) in sorted(ev.by_match_type.items())
        ]
        lines.append("precise placed rows by match: " + ", ".join(parts))
    if not ev.worst.empty:
        lines.append(f"worst misplacements (precise rows more than {FAR_KM:g} km off):")
        lines.extend(describe_worst(ev.worst))
    return "\n".join(lines)


def threshold_tradeoff(
    table: pd.DataFrame,
    cols: Columns,
    files: Sequence[str | Path],
    thresholds: Sequence[float],
    large_threshold: float,
) -> list[tuple[float, float, Evaluation]]:
    """Evaluate the table once per fuzzy threshold."""
    out = []
    for t in thresholds:
        g = build_gazetteer(files, threshold=t, large_threshold=large_threshold)
        out.append(
            (t, max(t, large_threshold), evaluate(table, resolve_table(table, g, cols), cols))
        )
    return out


def describe_tradeoff(results: list[tuple[float, float, Evaluation]]) -> str:
    """The trade-off as a markdown table."""
    lines = [
        "| threshold (user/curated) | threshold (world table) | placed rows | "
        f"precise placed within {FAR_KM:g} km | precise within {NEAR_KM:g} km (all precise) | "
        f"precise > {FAR_KM:g} km off (all precise) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    keyed = all(ev.truth_far is not None for _, _, ev in results)
    if keyed:
        lines[0] += f" answer key: precise placed within {FAR_KM:g} km of the true place |"
        lines[1] += " ---: |"
    for t, large, ev in results:
        lines.append(
            f"| {t:g} | {large:g} | {_pct(ev.placed_share)} | {_pct(ev.far_share_of_placed)} | "
            f"{_pct(ev.near_share_of_precise)} | {_pct(ev.off_share_of_precise)} |"
        )
        if keyed:
            lines[-1] += f" {_pct(Evaluation._share(ev.truth_far, ev.precise_placed))} |"
    return "\n".join(lines)


def learn_experiment(
    target: pd.DataFrame,
    cols: Columns,
    sources: Sequence[str],
    args: argparse.Namespace,
    workdir: Path,
) -> list[tuple[str, Evaluation, float]]:
    """Bundled gazetteer, naive median, learn_gazetteer: each resolving ``target``."""
    results = []
    start = time.perf_counter()
    results.append(
        (
            "bundled gazetteer",
            evaluate(target, resolve_table(target, Gazetteer.default(), cols), cols),
            time.perf_counter() - start,
        )
    )
    naive_rows: list[PlaceRow] = []
    for src in sources:
        table = read_table(src)
        naive_rows.extend(naive_learned_rows(table, columns_for(table, _no_overrides(args), src)))
    naive_csv = workdir / "naive.csv"
    write_gazetteer_csv(naive_rows, naive_csv)
    start = time.perf_counter()
    g = Gazetteer.default().with_files(naive_csv)
    results.append(
        (
            f"naive median ({len(naive_rows):,} names)",
            evaluate(target, resolve_table(target, g, cols), cols),
            time.perf_counter() - start,
        )
    )
    try:
        from mapper.gazetteer.sources.learned import learn_gazetteer
    except ImportError:
        print(
            "mapper.gazetteer.sources.learned is not installed: learn_gazetteer not measured",
            file=sys.stderr,
        )
        return results
    start = time.perf_counter()
    learned = learn_gazetteer(list(sources))
    learned_csv = workdir / "learned.csv"
    write_gazetteer_csv(learned.rows, learned_csv)
    learn_s = time.perf_counter() - start
    start = time.perf_counter()
    g = Gazetteer.default().with_files(learned_csv)
    ev = evaluate(target, resolve_table(target, g, cols), cols)
    results.append(
        (
            f"learn_gazetteer ({len(learned.rows):,} places; learning took {learn_s:.1f} s)",
            ev,
            time.perf_counter() - start,
        )
    )
    return results


def _no_overrides(args: argparse.Namespace) -> argparse.Namespace:
    """The options without TABLE's column overrides (a learning table has its own layout)."""
    ns = argparse.Namespace(**vars(args))
    for role in ("name", "lat", "lon", "precision", "district", "province", "country"):
        setattr(ns, f"{role}_column", None)
    ns.truth_columns = None
    return ns


def describe_experiment(results: list[tuple[str, Evaluation, float]]) -> str:
    """The experiment as a markdown table."""
    lines = [
        f"| gazetteer | placed rows | precise within {NEAR_KM:g} km | "
        f"precise within {FAR_KM:g} km | precise > {FAR_KM:g} km off | precise unplaced | "
        "resolve time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    keyed = all(ev.truth_far is not None for _, ev, _ in results)
    if keyed:
        lines[0] += (
            f" answer key: precise within {NEAR_KM:g} km of the true place |"
            f" answer key: precise > {FAR_KM:g} km from the true place |"
        )
        lines[1] += " ---: | ---: |"
    for label, ev, secs in results:
        unplaced = 1 - ev.precise_placed / ev.precise if ev.precise else float("nan")
        lines.append(
            f"| {label} | {_pct(ev.placed_share)} | {_pct(ev.near_share_of_precise)} | "
            f"{_pct(ev.within_far / ev.precise if ev.precise else float('nan'))} | "
            f"{_pct(ev.off_share_of_precise)} | {_pct(unplaced)} | {secs:.1f} s |"
        )
        if keyed:
            lines[-1] += (
                f" {_pct(Evaluation._share(ev.truth_near, ev.precise))} |"
                f" {_pct(Evaluation._share(ev.precise_placed - ev.truth_far, ev.precise))} |"
            )
    for label, ev, _ in results[1:]:
        if keyed and not ev.worst_truth.empty:
            lines.append(f"\nanswer key: worst answers with {label} (from the true place):")
            lines.extend(describe_worst(ev.worst_truth.head(6), where="truth"))
        elif not ev.worst.empty:
            lines.append(f"\nworst misplacements with {label}:")
            lines.extend(describe_worst(ev.worst.head(6)))
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "table",
        nargs="?",
        help="geocoded CSV (ACLED, UCDP GED, GTD layout, or name the columns)",
    )
    p.add_argument("--name-column")
    p.add_argument("--lat-column")
    p.add_argument("--lon-column")
    p.add_argument("--precision-column", help="column saying how precise each row's point is")
    p.add_argument(
        "--precise-values",
        nargs="+",
        default=["1"],
        metavar="V",
        help="values of the precision column that mean 'the point is the named place' (1)",
    )
    p.add_argument("--district-column", help="district hint ('' for none)")
    p.add_argument("--province-column", help="province hint ('' for none)")
    p.add_argument("--country-column", help="country hint ('' for none)")
    p.add_argument("--gazetteer", nargs="+", default=[], metavar="FILE",
                   help="gazetteer files searched before the bundled one")  # fmt: skip
    p.add_argument("--threshold", nargs="+", type=float, default=[], metavar="T",
                   help="fuzzy thresholds to compare (user and curated tables)")  # fmt: skip
    p.add_argument(
        "--large-threshold",
        type=float,
        default=LARGE_TABLE_THRESHOLD,
        help=f"lowest fuzzy score in the world table ({LARGE_TABLE_THRESHOLD:g}); "
        "the larger of it and --threshold applies",
    )
    p.add_argument("--learn-from", nargs="+", default=[], metavar="FILE",
                   help="learn from these tables, then resolve TABLE (the experiment)")  # fmt: skip
    p.add_argument(
        "--truth-columns",
        nargs=2,
        metavar=("LAT", "LON"),
        help="answer-key columns with the true place of each row (default: true_latitude "
        "true_longitude when present, as in synthetic tables)",
    )
    p.add_argument("--worst", type=int, default=10, help="misplacements to list (10)")
    p.add_argument("--smoke", action="store_true", help="a few seconds' check that this works")
    args = p.parse_args(argv)
    if args.table is None and not args.smoke:
        p.error("the following arguments are required: table")
    return args


def smoke_tables(tmp: Path) -> tuple[str, str]:
    """Write the first rows of two bundled evaluation tables to ``tmp`` (for ``--smoke``)."""
    paths = []
    for name, rows in (("acled.csv", 200), ("ucdp.csv", 300)):
        source = Path(__file__).resolve().parents[1] / "data" / "eval" / name
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        (tmp / name).write_text("".join(lines[: rows + 1]), encoding="utf-8")
        paths.append(str(tmp / name))
    return paths[0], paths[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; return the exit code."""
    args = parse_args(argv)
    if args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            table, learn = smoke_tables(Path(tmp))
            args.table = args.table or table
            args.threshold = args.threshold or [75.0, 85.0]
            args.learn_from = args.learn_from or [learn]
            return evaluate_and_print(args)
    return evaluate_and_print(args)


def evaluate_and_print(args: argparse.Namespace) -> int:
    """Evaluate, print every table ``args`` asks for; return the exit code."""
    try:
        table = read_table(args.table)
        cols = columns_for(table, args, args.table)
        print(f"table: {args.table} ({len(table):,} rows); columns: {cols}")
        start = time.perf_counter()
        g = build_gazetteer(args.gazetteer)
        ev = evaluate(table, resolve_table(table, g, cols), cols, worst=args.worst)
        print(f"gazetteer: {g!r} ({time.perf_counter() - start:.1f} s)")
        print(describe(ev, cols))
        print("\nwith and without hints:")
        print(describe_hints(hints_comparison(table, g, cols), cols))
        if args.threshold:
            print("\nfuzzy threshold trade-off:")
            res = threshold_tradeoff(table, cols, args.gazetteer, args.threshold,
                                     args.large_threshold)  # fmt: skip
            print(describe_tradeoff(res))
        if args.learn_from:
            print(f"\nlearn from {', '.join(args.learn_from)}, resolve {args.table}:")
            with tempfile.TemporaryDirectory() as tmp:
                res = learn_experiment(table, cols, args.learn_from, args, Path(tmp))
            print(describe_experiment(res))
    except MapperError as err:
        print(f"gazetteer_eval: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

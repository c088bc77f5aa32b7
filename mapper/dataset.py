"""The dataset API: a dataset's files located, read, checked and placed into a Dataset.

A dataset is a directory holding ``incidents.csv`` and, optionally, ``claims.csv``,
``operations.csv``, ``sites.csv``, ``indicators.csv`` and ``dataset.json``; a single
incidents CSV also works. :func:`read_dataset` returns a :class:`~mapper.schema.Dataset`
whose ``report`` accounts for every input row: placed on the map, kept but unplaced
(with the reason), or rejected (with the file, line, column and reason).
:func:`validate_dataset` lists every mistake at once. Reading and checking cells
is :mod:`mapper.tables`' job, finding places :mod:`mapper.placement`'s.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.errors import InputError, Problem
from mapper.files import read_text
from mapper.placement import (
    LazyGazetteer,
    check_far_points,
    fill_admin_fields,
    place_areas,
    place_incidents,
    place_sites,
)
from mapper.schema import (
    BUNDLED_DATASET,
    CLAIM_COLUMNS,
    CLAIM_REQUIRED,
    CLAIMS_FILE,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    INCIDENTS_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    METADATA_FILE,
    OPERATION_COLUMNS,
    OPERATIONS_FILE,
    PLACEMENT_COLUMNS,
    REPORT_COLUMNS,
    SITE_COLUMNS,
    SITES_FILE,
    Dataset,
)
from mapper.tables.cells import Checks, column_of, isin, map_dict, texts
from mapper.tables.checks import (
    Checked,
    check_claims,
    check_incidents,
    check_indicators,
    check_operations,
    check_sites,
)
from mapper.tables.read import Table, read_table

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from mapper.areas import Areas

__all__ = [
    "check_dataset",
    "read_dataset",
    "read_datasets",
    "validate_dataset",
    "with_points",
]

_TABLE_ORDER = ("incidents", "claims", "operations", "sites", "indicators")


# --- the dataset's files ------------------------------------------------------------


@dataclass
class _Files:
    incidents: Path
    claims: Path | None = None
    operations: Path | None = None
    sites: Path | None = None
    indicators: Path | None = None
    metadata: Path | None = None
    name: str = "dataset"


@dataclass
class _Tables:
    incidents: Table
    operations: Table | None
    claims: Table | None
    sites: Table | None
    indicators: Table | None


@dataclass
class _Part:
    """One table's outcome: the rows kept, its rows of the report, its problems."""

    frame: pd.DataFrame
    report: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _locate(path: str | Path | None) -> _Files:
    """Find a dataset's files: a directory's tables, a single incidents CSV, or the bundled one."""
    from mapper.resources import data_path

    p = Path(data_path(BUNDLED_DATASET) if path is None else path)
    if p.is_dir():
        incidents = p / INCIDENTS_FILE
        if not incidents.is_file():
            raise InputError(f"not a dataset directory: expected {INCIDENTS_FILE} in it", path=p)

        def opt(name: str) -> Path | None:
            f = p / name
            return f if f.is_file() else None

        return _Files(
            incidents,
            opt(CLAIMS_FILE),
            opt(OPERATIONS_FILE),
            opt(SITES_FILE),
            opt(INDICATORS_FILE),
            opt(METADATA_FILE),
            name=p.resolve().name,
        )
    if not p.exists():
        raise InputError("no such file or directory", path=p)
    return _Files(p, name=p.stem)


def _read_metadata(path: Path | None) -> dict[str, Any]:
    """Read ``dataset.json`` (name, attribution), refusing what is not a JSON object."""
    if path is None:
        return {}
    try:
        meta = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON ({err.msg})", path=path, line=err.lineno) from err
    if not isinstance(meta, dict):
        raise InputError(f"expected a JSON object, found {type(meta).__name__}", path=path)
    attribution = meta.get("attribution", [])
    if isinstance(attribution, str):
        attribution = [attribution]
    if not isinstance(attribution, list) or not all(isinstance(a, str) for a in attribution):
        raise InputError("'attribution' should be a list of strings", path=path)
    meta["attribution"] = attribution
    return meta


def _ids_of(table: Table | None, column: str) -> pd.Series:
    """Return the non-empty values of a column (a Series, for :func:`isin`)."""
    import pandas as pd

    if table is None or column not in table.frame.columns:
        return pd.Series([], dtype=str)
    return table.frame[column][table.frame[column] != ""]


def _read_tables(files: _Files) -> _Tables:
    """Read every table of the dataset, refusing any that lacks a required column.

    The claims table is read in a second thread while the incidents are read:
    Arrow's parser and numpy's scans release the GIL, so the two overlap. An
    error in the incidents is still the one raised first.
    """
    from concurrent.futures import ThreadPoolExecutor

    def optional(path: Path | None, name: str, required: Sequence[str]) -> Table | None:
        return None if path is None else read_table(path, table=name, required=required)

    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(optional, files.claims, "claims", ("claim_id",))
        incidents = read_table(files.incidents, table="incidents", required=INCIDENT_REQUIRED)
        operations = optional(files.operations, "operations", ("operation",))
        claims = later.result()
    missing = [c for c in CLAIM_REQUIRED if claims is not None and c not in claims.frame.columns]
    if claims is not None and missing:
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; expected a claims table",
            path=claims.path,
            line=1,
        )
    sites = optional(files.sites, "sites", ("site_id", "name"))
    indicators = optional(files.indicators, "indicators", ("indicator_id", "area", "indicator"))
    return _Tables(incidents, operations, claims, sites, indicators)


# --- the steps: check each table, place its rows, keep what is valid -----------------


def check_dataset(
    path: str | Path | None = None,
    *,
    gazetteer: Any = None,
    areas: Areas | None = None,
    geometry: bool = True,
) -> tuple[Dataset, list[Problem]]:
    """Read a dataset and list its problems in one pass.

    Parameters
    ----------
    path : str or Path, optional
        A dataset directory or a single incidents CSV; ``None`` reads the
        bundled dataset.
    gazetteer : Gazetteer, optional
        Resolves place names (default :meth:`Gazetteer.default`, loaded only
        when some row needs it).
    areas : Areas, optional
        Checks points against the province and district their rows name, and
        fills those left empty (default :meth:`mapper.areas.Areas.bundled`,
        loaded only when some row needs it).
    geometry : bool, default True
        As for :func:`read_dataset`.

    Returns
    -------
    dataset : Dataset
        Every valid row kept; rows with problems rejected (see ``report``).
    problems : list of Problem
        Every mistake found, in file and line order.

    Raises
    ------
    InputError
        If a file cannot be read or lacks a required column.
    """
    files = _locate(path)
    meta = _read_metadata(files.metadata)
    tables = _read_tables(files)
    gaz = LazyGazetteer(gazetteer, areas)
    incidents = _incidents(tables, gaz, areas, geometry=geometry)
    placed_ops = _operations_with_placed(incidents.frame)
    operations = _operations(tables.operations, placed_ops)
    claims = _claims(tables, incidents.frame, placed_ops)
    sites = _sites(tables.sites, gaz, geometry=geometry)
    indicators = _indicators(tables.indicators, gaz)
    parts = (incidents, operations, claims, sites, indicators)
    dataset = Dataset(
        incidents=incidents.frame,
        claims=claims.frame,
        report=_report(parts),
        operations=operations.frame,
        sites=sites.frame,
        indicators=indicators.frame,
        name=str(meta.get("name") or files.name),
        attribution=_attribution(meta, gaz, incidents.frame),
        notes=[note for part in parts for note in part.notes],
    )
    problems = sorted(
        (p for part in parts for p in part.problems),
        key=lambda p: (_file_rank(p.path, files), p.line or 0),
    )
    return dataset, problems


def _incidents(
    tables: _Tables, gaz: LazyGazetteer, areas: Areas | None, *, geometry: bool
) -> _Part:
    """Check the incidents, check given points against the places named, place the rest."""
    import pandas as pd

    table = tables.incidents
    known_ops = None if tables.operations is None else _ids_of(tables.operations, "operation")
    inc = check_incidents(table, known_operations=known_ops)
    unknown = check_far_points(
        inc.checks, inc.values["latitude"], inc.values["longitude"], areas, gazetteer=gaz
    )
    frame = table.frame
    keep = pd.Series(~inc.checks.rejected_mask(), index=frame.index)
    out = _incident_columns(inc)
    status, reason = place_incidents(out, frame, keep, gaz)
    fill_admin_fields(out, keep, areas)
    # A province or district mapper does not know is said, not held against the row.
    reason = reason.where(unknown == "", (reason + "; " + unknown).str.lstrip("; "))
    report = _report_rows(table, inc.checks, status, reason, column_of(frame, "incident_id"))

    incidents = out[keep.to_numpy()].copy()
    extra = [c for c in frame.columns if c not in INCIDENT_COLUMNS and c]
    for col in extra:
        incidents[col] = _text_column(frame.loc[keep.to_numpy(), col])
    incidents = incidents[[*INCIDENT_COLUMNS, *PLACEMENT_COLUMNS, *extra]].reset_index(drop=True)
    counts = unknown[unknown != ""].value_counts()
    notes = [
        f"{table.path}: {message} ({n} row{'s' if n != 1 else ''})"
        for message, n in counts.sort_index().items()
    ]
    return _Part(
        with_points(incidents) if geometry else incidents,
        [report],
        list(inc.checks.problems),
        notes,
    )


def _incident_columns(inc: Checked) -> pd.DataFrame:
    """Return every incident row in the output's columns, as checked and not yet placed."""
    import pandas as pd

    frame = inc.table.frame
    out = pd.DataFrame(index=frame.index)
    for col in INCIDENT_COLUMNS:
        out[col] = _text_column(column_of(frame, col))
    for col in ("date_precision", "location_precision", "status", "event_type", "sub_event_type"):
        out[col] = _text_column(inc.values[col])
    for col in ("date", "date_end", "latitude", "longitude"):
        out[col] = inc.values[col]
    out["placement"] = "placed"
    for col in ("placement_reason", "location_source", "matched_name", "match_type"):
        out[col] = pd.Series(pd.NA, index=frame.index, dtype=str)
    out["match_score"] = pd.Series(float("nan"), index=frame.index, dtype=float)
    return out


def _operations_with_placed(incidents: pd.DataFrame) -> set[str]:
    """Return the operations that at least one placed incident belongs to."""
    placed = (incidents["placement"] == "placed") & incidents["operation"].notna()
    return set(texts(incidents.loc[placed, "operation"]))


def _operations(table: Table | None, placed_ops: set[str]) -> _Part:
    """Check the operations; one is on the map when one of its incidents is."""
    if table is None:
        return _Part(_empty(OPERATION_COLUMNS))
    op = check_operations(table)
    ops = column_of(table.frame, "operation")
    status = ops.map(lambda o: "placed" if o in placed_ops else "unplaced")
    reason = ops.map(
        lambda o: "" if o in placed_ops else "no placed incident belongs to this operation"
    )
    report = _report_rows(table, op.checks, status, reason, ops)
    kept = table.frame[~op.checks.rejected_mask()]
    return _Part(_table_frame(kept, OPERATION_COLUMNS), [report], op.checks.problems)


def _claims(tables: _Tables, incidents: pd.DataFrame, placed_ops: set[str]) -> _Part:
    """Check the claims; one is on the map when what it is about (incident or operation) is."""
    import pandas as pd

    table = tables.claims
    if table is None:
        claims = _empty(CLAIM_COLUMNS)
        claims["low"] = claims["low"].astype("Int64")
        claims["high"] = claims["high"].astype("Int64")
        return _Part(claims)
    all_ops = set(texts(_ids_of(tables.operations, "operation"))) | set(
        texts(_ids_of(tables.incidents, "operation"))
    )
    cl = check_claims(
        table, incident_ids=_ids_of(tables.incidents, "incident_id"), operations=all_ops
    )
    _refuse_claims_on_rejected(cl, tables.incidents, incidents["incident_id"])
    cf = table.frame
    target_inc = column_of(cf, "incident_id")
    target_op = column_of(cf, "operation")
    placed_inc = incidents.loc[incidents["placement"] == "placed", "incident_id"]
    placed_target = isin(target_inc, placed_inc) | (
        (target_inc == "") & isin(target_op, placed_ops)
    )
    status = placed_target.map({True: "placed", False: "unplaced"}).astype(str)
    reason = pd.Series("", index=cf.index, dtype=str)
    reason[~placed_target] = target_inc.where(target_inc != "", target_op)[~placed_target].map(
        lambda t: f"what it is about ({t!r}) has no place on the map"
    )
    report = _report_rows(table, cl.checks, status, reason, column_of(cf, "claim_id"))
    keep = ~cl.checks.rejected_mask()
    claims = _table_frame(cf[keep], CLAIM_COLUMNS)
    for col in ("claimant_side", "subject", "outcome"):
        claims[col] = _text_column(cl.values[col][keep].reset_index(drop=True))
    claims["low"] = cl.values["low"][keep].reset_index(drop=True)
    claims["high"] = cl.values["high"][keep].reset_index(drop=True)
    return _Part(claims, [report], cl.checks.problems)


def _refuse_claims_on_rejected(cl: Checked, inc_table: Table, kept: pd.Series) -> None:
    """Reject the claims about an incident that was itself rejected: they cannot be shown."""
    import pandas as pd

    if len(kept) == len(inc_table.frame):
        return  # no incident was rejected
    cf = cl.table.frame
    target = column_of(cf, "incident_id")
    orphan = (target != "") & isin(target, _ids_of(inc_table, "incident_id")) & ~isin(target, kept)
    orphan &= ~pd.Series(cl.checks.rejected_mask(), index=cf.index)
    if not orphan.any():
        return
    inc_lines = dict(
        zip(texts(column_of(inc_table.frame, "incident_id")), inc_table.lines.tolist(), strict=True)
    )
    for pos in orphan[orphan].index:
        cl.checks.reasons.setdefault(int(pos), []).append(
            f"refers to incident {target[pos]!r}, which was rejected "
            f"(line {inc_lines.get(target[pos])} of {inc_table.path})"
        )


def _sites(table: Table | None, gaz: LazyGazetteer, *, geometry: bool) -> _Part:
    """Check the sites; those without coordinates are placed by name."""
    if table is None:
        sites = _empty(SITE_COLUMNS, floats=("latitude", "longitude"))
        return _Part(with_points(sites) if geometry else sites)
    si = check_sites(table)
    sf = table.frame
    keep = ~si.checks.rejected_mask()
    sites = _table_frame(sf, SITE_COLUMNS)
    for col in ("latitude", "longitude"):
        sites[col] = si.values[col].reset_index(drop=True)
    sites["location_precision"] = _text_column(
        si.values["location_precision"].reset_index(drop=True)
    )
    need = keep & (si.values["latitude"].isna() | si.values["longitude"].isna())
    status, reason = place_sites(sites, sf, need, gaz)
    report = _report_rows(table, si.checks, status, reason, column_of(sf, "site_id"))
    sites = sites[keep].reset_index(drop=True)
    return _Part(with_points(sites) if geometry else sites, [report], si.checks.problems)


def _indicators(table: Table | None, gaz: LazyGazetteer) -> _Part:
    """Check the indicators (area-level figures); each is placed by its area's name."""
    import pandas as pd

    if table is None:
        return _Part(_empty(INDICATOR_COLUMNS))
    ind = check_indicators(table)
    nf = table.frame
    keep = ~ind.checks.rejected_mask()
    status, reason = place_areas(column_of(nf, "area"), keep, gaz)
    report = _report_rows(table, ind.checks, status, reason, column_of(nf, "indicator_id"))
    indicators = _table_frame(nf[keep], INDICATOR_COLUMNS)
    for col in ("value", "low", "high"):
        indicators[col] = pd.to_numeric(indicators[col], errors="coerce")
    return _Part(indicators, [report], ind.checks.problems)


# --- assembling the report and the frames ----------------------------------------------


def _report(parts: Sequence[_Part]) -> pd.DataFrame:
    """Return every table's report rows, in table order then line order."""
    import pandas as pd

    rows = [r for part in parts for r in part.report]
    report = pd.concat(rows, ignore_index=True) if rows else _empty_report()
    report["line"] = report["line"].astype("int64")
    order = {name: i for i, name in enumerate(_TABLE_ORDER)}
    report = (
        report.assign(_t=map_dict(report["table"], order))
        .sort_values(["_t", "line"], kind="stable")
        .drop(columns="_t")
        .reset_index(drop=True)
    )
    for col in ("file", "table", "record_id", "status", "reason"):
        report[col] = report[col].fillna("").astype(str)
    return report


def _attribution(meta: dict[str, Any], gaz: LazyGazetteer, incidents: pd.DataFrame) -> list[str]:
    """Return the dataset's credits, plus the gazetteer's when it placed some incident."""
    attribution = list(meta.get("attribution", []))
    for line in gaz.attribution:
        if line not in attribution and (incidents["location_source"] != "coordinates given").any():
            attribution.append(line)
    return attribution


def _empty(columns: Sequence[str], *, floats: Sequence[str] = ()) -> pd.DataFrame:
    """Return a table with no rows: text columns, except ``floats``."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series([], dtype=float if c in floats else str) for c in columns})


# --- assembling a Dataset -----------------------------------------------------------


def _empty_report() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series([], dtype="int64" if c == "line" else str) for c in REPORT_COLUMNS}
    )


def _report_rows(
    table: Table, checks: Checks, status: pd.Series, reason: pd.Series, ids: pd.Series
) -> pd.DataFrame:
    import pandas as pd

    rejected = checks.rejected_mask()
    status = status.copy()
    reason = reason.copy()
    status[rejected] = "rejected"
    for pos, reasons in checks.reasons.items():
        reason.iat[pos] = "; ".join(reasons)
    frame = pd.DataFrame(
        {
            "file": table.path,
            "line": pd.Series(table.lines, dtype="int64"),
            "table": table.name,
            "record_id": ids.reset_index(drop=True),
            "status": status.reset_index(drop=True),
            "reason": reason.reset_index(drop=True),
        }
    )
    if table.rejected:
        extra = pd.DataFrame(
            {
                "file": table.path,
                "line": [line for line, _ in table.rejected],
                "table": table.name,
                "record_id": "",
                "status": "rejected",
                "reason": [r for _, r in table.rejected],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame


def _text_column(series: pd.Series) -> pd.Series:
    # Missing text is NaN in pandas 3's str dtype; keep that convention.
    return series.astype(str).where(series != "")


def with_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` as a GeoDataFrame (EPSG:4326) of points from its coordinates.

    Rows without ``latitude`` or ``longitude`` get a missing geometry.
    """
    import geopandas as gpd

    out = gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )
    out.loc[out["latitude"].isna() | out["longitude"].isna(), "geometry"] = None
    return out


def _file_rank(path: str, files: _Files) -> int:
    order = [files.incidents, files.operations, files.claims, files.sites, files.indicators]
    for i, f in enumerate(order):
        if f is not None and str(f) == path:
            return i
    return len(order)


def _table_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(index=range(len(frame)))
    for col in columns:
        out[col] = _text_column(column_of(frame, col).reset_index(drop=True))
    return out


def read_dataset(
    path: str | Path | None = None,
    *,
    gazetteer: Any = None,
    areas: Areas | None = None,
    geometry: bool = True,
) -> Dataset:
    """Read a dataset, resolving places; rows with mistakes are rejected, not fatal.

    Parameters
    ----------
    path : str or Path, optional
        A dataset directory (``incidents.csv`` plus optional ``claims.csv``,
        ``operations.csv``, ``sites.csv``, ``indicators.csv``, ``dataset.json``)
        or a single incidents CSV. ``None`` reads the bundled dataset.
    gazetteer : Gazetteer, optional
        Resolves place names where no coordinates are given (default
        :meth:`mapper.gazetteer.Gazetteer.default`).
    areas : Areas, optional
        As for :func:`check_dataset`: empty district, province and country
        cells of placed rows are filled from their points.
    geometry : bool, default True
        Give ``incidents`` and ``sites`` point geometries (GeoDataFrames).
        False keeps them plain DataFrames with ``latitude``/``longitude``,
        which is all :func:`mapper.render.build_map` needs, and saves making a
        shapely point per row (about 0.1 s per 100,000 incidents).

    Returns
    -------
    Dataset
        ``report`` holds one row per input row: placed, unplaced (with the
        reason, e.g. an unknown name and its suggestions) or rejected (with the
        file, line, column and reason).

    Raises
    ------
    InputError
        If a file cannot be read or lacks a required column (row-level
        mistakes never raise).

    Examples
    --------
    >>> ds = read_dataset()  # doctest: +SKIP
    >>> ds.counts()  # doctest: +SKIP
    {'placed': 45, 'unplaced': 0, 'rejected': 0}
    """
    dataset, _ = check_dataset(path, gazetteer=gazetteer, areas=areas, geometry=geometry)
    return dataset


def validate_dataset(
    path: str | Path | None = None, *, gazetteer: Any = None, areas: Areas | None = None
) -> list[Problem]:
    """Return every mistake in a dataset at once (an empty list when valid).

    Missing required columns are reported as problems here (where
    :func:`read_dataset` raises), so that one run lists everything.

    Raises
    ------
    InputError
        If a file cannot be read at all (missing, binary, empty, broken quoting).
    """
    try:
        _, problems = check_dataset(path, gazetteer=gazetteer, areas=areas, geometry=False)
    except InputError as err:
        if err.line == 1 and err.reason.startswith("missing required column"):
            return [Problem(err.path or str(path), 1, None, None, err.reason)]
        raise
    return problems


def read_datasets(
    paths: Sequence[str | Path | None],
    *,
    gazetteer: Any = None,
    areas: Areas | None = None,
    geometry: bool = True,
) -> Dataset:
    """Read several datasets and merge them into one.

    An ``incident_id`` or ``claim_id`` already taken by an earlier dataset is
    rejected (with its claims) and listed in the report; the first one wins.
    ``gazetteer``, ``areas`` and ``geometry`` are as for :func:`read_dataset`.
    """
    import pandas as pd

    if not paths:
        paths = [None]
    parts = [read_dataset(p, gazetteer=gazetteer, areas=areas, geometry=geometry) for p in paths]
    if len(parts) == 1:
        return parts[0]
    incidents, claims, reports = [], [], []
    seen_inc: dict[str, str] = {}
    seen_cl: dict[str, str] = {}
    for ds in parts:
        rep = ds.report.copy()
        inc_file = rep.loc[rep["table"] == "incidents", "file"]
        label = inc_file.iloc[0] if len(inc_file) else ds.name
        dup_inc = isin(ds.incidents["incident_id"], seen_inc)
        dup_ids = set(ds.incidents.loc[dup_inc, "incident_id"])
        cl = ds.claims
        dup_cl = isin(cl["claim_id"], seen_cl) | isin(cl["incident_id"], dup_ids)
        for table, ids, owner in (
            ("incidents", dup_ids, seen_inc),
            ("claims", set(cl.loc[dup_cl, "claim_id"]), seen_cl),
        ):
            hit = (
                (rep["table"] == table)
                & isin(rep["record_id"], ids)
                & (rep["status"] != "rejected")
            )
            rep.loc[hit, "status"] = "rejected"
            rep.loc[hit, "reason"] = rep.loc[hit, "record_id"].map(
                lambda i, owner=owner: (
                    f"id {i!r} already used in {owner.get(i, 'an incident merged earlier')}"
                    if i in owner
                    else "its incident's id was already used by an earlier dataset"
                )
            )
        for i in ds.incidents.loc[~dup_inc, "incident_id"]:
            seen_inc[i] = label
        for i in cl.loc[~dup_cl, "claim_id"]:
            seen_cl[i] = label
        incidents.append(ds.incidents[~dup_inc.to_numpy()])
        claims.append(cl[~dup_cl.to_numpy()])
        reports.append(rep)
    attribution: list[str] = []
    for ds in parts:
        attribution += [a for a in ds.attribution if a not in attribution]
    # concat keeps GeoDataFrames (and their CRS) when the parts are GeoDataFrames.
    sites = [ds.sites for ds in parts if len(ds.sites)]
    return Dataset(
        incidents=pd.concat(incidents, ignore_index=True),
        claims=pd.concat(claims, ignore_index=True),
        report=pd.concat(reports, ignore_index=True),
        operations=pd.concat([ds.operations for ds in parts], ignore_index=True),
        sites=pd.concat(sites, ignore_index=True) if sites else parts[0].sites,
        indicators=pd.concat([ds.indicators for ds in parts], ignore_index=True),
        name=" + ".join(ds.name for ds in parts),
        attribution=attribution,
        notes=[note for ds in parts for note in ds.notes],
    )

"""Writing places as a gazetteer CSV (the format every reader of user files reads)."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Sequence

from mapper.errors import UsageError
from mapper.gazetteer.places import (
    PlaceRow,
)

#: Columns :func:`write_gazetteer_csv` writes, in order (what :func:`read_gazetteer_csv` reads).
GAZETTEER_COLUMNS: tuple[str, ...] = (
    "name",
    "aliases",
    "kind",
    "precision",
    "district",
    "province",
    "country",
    "latitude",
    "longitude",
    "population",
    "geonameid",
    "source",
)
#: Columns of learned places (:mod:`mapper.gazetteer.sources.learned`), written after the
#: others when any row has them.
LEARNED_COLUMNS: tuple[str, ...] = ("support_rows", "support_sources", "spread_km")


def write_gazetteer_csv(
    rows: Iterable[PlaceRow],
    path: str | os.PathLike[str],
    *,
    extra_columns: Sequence[str] = (),
) -> None:
    """Write places as a gazetteer CSV that :func:`read_gazetteer_csv` (and ``--gazetteer``) reads.

    The columns are :data:`GAZETTEER_COLUMNS`, then :data:`LEARNED_COLUMNS` when
    any row carries learned support, then ``extra_columns`` (each value taken
    from the row's ``extra`` dict, empty when absent). Aliases and a row's
    ``exact_variants`` are joined with ``|`` (a ``|`` inside one becomes a space);
    missing values, population 0 and geonameid 0 are empty fields. Floats are
    written in their shortest round-tripping form, lines end with LF, rows
    keep the order given: the same rows always give the same bytes. The file
    is written atomically (a failed write leaves an existing file untouched).

    Parameters
    ----------
    rows : iterable of PlaceRow
        The places, written in this order.
    path : str or os.PathLike
        The output file.
    extra_columns : sequence of str, keyword-only
        More columns to write after the standard ones (the reader ignores them).

    Raises
    ------
    UsageError
        If an extra column repeats a standard one.
    """
    from mapper.files import atomic_write

    rows = list(rows)
    learned = any(r.support_rows is not None for r in rows)
    header = [*GAZETTEER_COLUMNS, *(LEARNED_COLUMNS if learned else ())]
    clash = [c for c in extra_columns if c in header]
    if clash or len(set(extra_columns)) != len(extra_columns):
        raise UsageError(
            f"expected extra columns distinct from each other and from {', '.join(header)}; "
            f"got {', '.join(extra_columns)}"
        )
    header.extend(extra_columns)
    with atomic_write(path, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            names = dict.fromkeys(
                a.replace("|", " ").strip() for a in (*r.aliases, *r.exact_variants)
            )
            names.pop(r.name, None)
            names.pop("", None)
            record = [
                r.name,
                "|".join(names),
                r.kind,
                r.precision,
                _cell(r.district),
                _cell(r.province),
                _cell(r.country),
                _cell(float(r.latitude)),
                _cell(float(r.longitude)),
                _cell(int(r.population) or None),
                _cell(int(r.geonameid) or None),
                _cell(r.source),
            ]
            if learned:
                record += [_cell(r.support_rows), _cell(r.support_sources), _cell(r.spread_km)]
            if extra_columns:
                extra = r.extra or {}
                record += [_cell(extra.get(c)) for c in extra_columns]
            writer.writerow(record)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)

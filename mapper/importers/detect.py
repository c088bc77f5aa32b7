"""Which importer reads a file: ours, ACLED, UCDP GED, the GTD, or any table by its columns.

:func:`recognise` looks at the headers only; :func:`import_any` runs the
importer it names. ``mapper map FILE`` and ``mapper validate FILE`` use both,
so any table ``mapper import`` reads can be drawn or checked directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapper.importers.columns import normalise_header
from mapper.importers.common import ImportResult

__all__ = ["LAYOUTS", "import_any", "recognise"]

#: Layout -> headers that identify it (all must be present), checked in this order.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "mapper": ("incident_id",),
    "acled": ("event_id_cnty", "event_date", "event_type"),
    "ucdp": ("id", "date_start", "where_prec"),
    "gtd": ("eventid", "iyear"),
}
_CSV_LIKE = ("", ".csv", ".tsv", ".txt")


def _headers(path: Path) -> list[str]:
    if path.suffix.lower() in _CSV_LIKE:
        # The first line is enough to tell a layout; a latin-1 header that is
        # not ASCII loses nothing that a layout's names need.
        with path.open("rb") as fh:
            first = fh.read(65536).split(b"\n", 1)[0]
        if not first.strip() or b"\x00" in first.lstrip(b"\xff\xfe\xef\xbb\xbf"):
            return ["incident_id"]  # empty, UTF-16 or binary: the dataset reader says which
        text = first.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
        for sep in (",", ";", "\t"):
            if sep in text:
                return [h.strip().strip('"') for h in text.split(sep)]
        return [text.strip()]
    from mapper.importers.reading import read_source

    return read_source(path).headers


def recognise(path: str | Path | None) -> str | None:
    """Return ``acled``, ``ucdp``, ``gtd`` or ``table`` for a file to import, None for ours.

    A directory, no path (the bundled dataset), a missing, empty or binary
    file, or a file in our own schema (with ``incident_id``) is None: it is
    read as a dataset, whose reader explains what is wrong with it. ACLED
    and UCDP are recognised in CSV only, as their importers read; in other
    formats they are read as any table.
    """
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        return None
    names = {normalise_header(h) for h in _headers(p)}
    if any("incident_id" in n for n in names):  # ours, even with a wrong delimiter
        return None
    for layout, needed in LAYOUTS.items():
        if set(needed) <= names:
            if layout in ("acled", "ucdp") and p.suffix.lower() not in _CSV_LIKE:
                return "table"
            return None if layout == "mapper" else layout
    return "table"


def import_any(path: str | Path, layout: str, **options: Any) -> ImportResult:
    """Run the importer for ``layout`` (from :func:`recognise`) on ``path``.

    ``options`` go to :func:`~mapper.importers.table.import_table` (``columns``,
    ``date_format``, ``sheet``...); the GTD importer takes only ``sheet``.
    """
    if layout in ("acled", "ucdp"):
        from mapper.importers.acled import import_acled
        from mapper.importers.ucdp import import_ucdp

        result = import_acled(path) if layout == "acled" else import_ucdp(path)
        result.detected = "an ACLED export" if layout == "acled" else "a UCDP GED file"
        return result
    if layout == "gtd":
        from mapper.importers.gtd import import_gtd

        return import_gtd(path, sheet=options.get("sheet"))
    from mapper.importers.table import import_table

    return import_table(path, **options)

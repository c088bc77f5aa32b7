"""Where mapper's bundled data lives, in a source checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    """Return the directory of the bundled data (gazetteer overlay, seed dataset).

    An installed wheel carries it as ``mapper/data``; a source checkout (and an
    editable install) reads the repository's top-level ``data/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "data"
    if packaged.is_dir():
        return packaged
    return here.parent / "data"


def data_path(*parts: str) -> Path:
    """Return a path inside :func:`data_dir`."""
    return data_dir().joinpath(*parts)

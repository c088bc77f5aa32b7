"""Where mapper's bundled data lives, and where it keeps what it builds once from that data."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


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


def cache_dir() -> Path:
    """Return the directory where mapper keeps its built indexes.

    ``$MAPPER_CACHE_DIR``, else ``$XDG_CACHE_HOME/mapper``, else ``~/.cache/mapper``.
    """
    explicit = os.environ.get("MAPPER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mapper"


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: many new objects, no cycles among them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_cached(path: Path, build: Callable[[], T], *, what: str) -> T:
    """Return the object pickled at ``path``, building and pickling it there when missing.

    ``path``'s name carries everything the object depends on (a data version,
    a format number), so a stale cache is never read, only left behind. A
    cache that cannot be read is rebuilt, with a message naming ``what`` it
    holds; one that cannot be written only costs the build on every run. It
    is never an error.
    """
    from mapper.files import atomic_write

    try:
        with open(path, "rb") as fh, _gc_paused():
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception as err:  # a truncated or foreign file: rebuild it
        print(f"mapper: rebuilding {what} ({err})", file=sys.stderr)
    with _gc_paused():
        value = build()
    try:
        with atomic_write(path, "wb", encoding=None) as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as err:
        print(f"mapper: could not cache {what} at {path}: {err}", file=sys.stderr)
    return value

"""mapper: resolve place names, hold contested claims side by side, draw offline incident maps."""

from __future__ import annotations

__version__ = "0.1.0"

from mapper.errors import InputError, MapperError, Problem, UsageError, ValidationError
from mapper.schema import Dataset

__all__ = [
    "Dataset",
    "Gazetteer",
    "InputError",
    "MapperError",
    "Match",
    "Problem",
    "UsageError",
    "ValidationError",
    "__version__",
]


def __getattr__(name: str) -> object:
    # The gazetteer pulls in numpy: load it on first use so `import mapper` stays fast.
    if name in ("Gazetteer", "Match"):
        from mapper import gazetteer

        return getattr(gazetteer, name)
    raise AttributeError(f"module 'mapper' has no attribute {name!r}")

"""mapper: resolve place names, hold contested claims side by side, draw offline incident maps."""

from __future__ import annotations

__version__ = "0.1.0"

from mapper.errors import InputError, MapperError, Problem, UsageError, ValidationError
from mapper.schema import Dataset

__all__ = [
    "Dataset",
    "InputError",
    "MapperError",
    "Problem",
    "UsageError",
    "ValidationError",
    "__version__",
]

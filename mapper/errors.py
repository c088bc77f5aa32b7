"""The errors mapper raises.

One root, :class:`MapperError`; each subclass also inherits the builtin it
resembles, so callers may catch either (``except ValueError`` still works).
The command line turns a :class:`MapperError` into a one-line message and its
``exit_code``; anything else is a bug and is reported as one.
"""

from __future__ import annotations

from dataclasses import dataclass


class MapperError(Exception):
    """Root of every error mapper raises on purpose."""

    #: Exit status the command line uses for this error.
    exit_code = 2


class UsageError(MapperError, ValueError):
    """The caller asked for something that cannot be done (bad option, bad value)."""


class InputError(MapperError, ValueError):
    """An input file cannot be read, or is not in the expected format.

    Parameters
    ----------
    message : str
        What was expected and what arrived.
    path : str, optional
        The file.
    line : int, optional
        1-based line in the file (the header is line 1).
    column : str, optional
        The column name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: object | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path
            if line is not None:
                where += f":{line}"
            if column is not None:
                where += f": column '{column}'"
            where += ": "
        super().__init__(where + message)


@dataclass(frozen=True)
class Problem:
    """One mistake found in an input file, located to the cell.

    ``line`` is 1-based with the header as line 1; ``suggestion`` is a likely
    intended value (for a misspelled category, for example).
    """

    path: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.detail()}"

    def detail(self) -> str:
        """Return the problem without its file and line: column, value, message, suggestion."""
        text = ""
        if self.column is not None:
            text += f"column '{self.column}': "
        if self.value is not None:
            text += f"{self.value!r}: "
        text += self.message
        if self.suggestion is not None:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


class ValidationError(MapperError, ValueError):
    """A dataset has mistakes; ``problems`` lists every one of them."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

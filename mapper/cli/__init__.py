"""The ``mapper`` command line: parses arguments, calls the public API, prints, sets exit codes.

Each command lives in its own module here with ``register(subparsers)``; the
module's ``run(args)`` returns the exit status. Exit codes: 0 ran, 1 the data
has problems (validation), 2 bad usage or unreadable input, 70 a bug.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from mapper import __version__
from mapper.errors import MapperError

ISSUES_URL = "https://github.com/mapper-project/mapper/issues"
EXIT_BUG = 70  # EX_SOFTWARE


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command registered."""
    from mapper.cli import data, extract, gazetteer, maps, resolve

    parser = _Parser(
        prog="mapper",
        description="Resolve place names, check incident and claims tables, draw offline maps.",
    )
    parser.add_argument("--version", action="version", version=f"mapper {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback when something fails"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in (resolve, gazetteer, data, maps, extract):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except MapperError as err:
        if args.debug:
            traceback.print_exc()
        print(f"mapper: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("mapper: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        # The system refused (disk full, no permission, a file where a directory
        # should be): the user's to fix, not a bug. Outputs are atomic, so nothing
        # half-written is left behind.
        if args.debug:
            traceback.print_exc()
        # os.replace(temporary, target) names the target second: that is the user's file.
        path = err.filename2 or err.filename
        where = f"{path}: " if path else ""
        print(f"mapper: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug, not a user mistake
        if args.debug:
            traceback.print_exc()
        where = ""
        tb = traceback.extract_tb(err.__traceback__)
        if tb:
            last = tb[-1]
            where = f" at {last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
        print(
            f"mapper: internal error ({type(err).__name__}{where}): {err}\n"
            f"This is a bug in mapper. Please report it at {ISSUES_URL} "
            "with the command you ran (add --debug for the traceback).",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

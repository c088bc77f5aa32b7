"""Jinja templates compiled once, for commands that import folium.

folium and branca compile some fifty Jinja templates when imported: about
0.15 s, half of folium's import time, on every ``mapper map``. Only the command
line uses this; a notebook's jinja2 is left as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

#: Bump when what a cache entry's key covers changes.
_FORMAT = 1


def _environment_key(env: Any) -> tuple[Any, ...] | None:
    """Return what the code jinja2 generates depends on besides the source, or None.

    None for what this cannot vouch for: a callable ``autoescape`` or
    ``finalize``, or a code generator or context of the environment's own.
    """
    import jinja2

    if callable(env.autoescape) or env.finalize is not None:
        return None
    if env.code_generator_class is not jinja2.compiler.CodeGenerator:
        return None

    def kinds(functions: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        # The generated call passes a context, eval context or environment as the
        # function asks: the names alone do not settle the code.
        return tuple(
            sorted((k, str(getattr(f, "jinja_pass_arg", ""))) for k, f in functions.items())
        )

    return (
        type(env).__module__,
        type(env).__qualname__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        env.optimized,
        env.autoescape,
        env.is_async,
        kinds(env.filters),
        kinds(env.tests),
    )


@contextlib.contextmanager
def templates_compiled_once(cache: Path) -> Iterator[None]:
    """Within, jinja2 reuses the code it compiled for a template in an earlier run.

    Entries are keyed by everything the generated code depends on: the
    template's source, name and file name, jinja2's version, Python's bytecode
    version and the environment's settings (:func:`_environment_key`). A cache
    that cannot be read is started afresh; one that cannot be written only
    costs the compiling. Never an error.
    """
    import jinja2

    path = cache / f"jinja-{jinja2.__version__}-{sys.implementation.cache_tag}-v{_FORMAT}.marshal"
    codes: dict[str, CodeType] = {}
    try:
        codes = marshal.loads(path.read_bytes())
        if not isinstance(codes, dict) or not all(isinstance(c, CodeType) for c in codes.values()):
            raise ValueError("not a table of compiled templates")
    except (FileNotFoundError, NotADirectoryError):
        codes = {}
    except (OSError, EOFError, ValueError, TypeError) as err:
        print(f"mapper: rebuilding the compiled page templates ({err})", file=sys.stderr)
        codes = {}
    known = len(codes)
    original = jinja2.Environment.compile

    def compile_once(
        self: Any,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        env = None if raw or not isinstance(source, str) else _environment_key(self)
        if env is None:
            return original(self, source, name, filename, raw, defer_init)
        key = hashlib.sha256(repr((env, source, name, filename, defer_init)).encode()).hexdigest()
        code = codes.get(key)
        if code is None:
            code = codes[key] = original(self, source, name, filename, raw, defer_init)
        return code

    jinja2.Environment.compile = compile_once  # type: ignore[method-assign]
    try:
        yield
    finally:
        jinja2.Environment.compile = original  # type: ignore[method-assign]
        if len(codes) != known:
            from mapper.errors import UsageError
            from mapper.files import atomic_write

            # UsageError: a file where the cache directory should be.
            with (
                contextlib.suppress(OSError, UsageError),
                atomic_write(path, "wb", encoding=None) as fh,
            ):
                fh.write(marshal.dumps(codes))

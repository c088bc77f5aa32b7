"""Reading text files in whatever encoding they arrive in, and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from mapper.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as err:
        from mapper.errors import UsageError

        raise UsageError(
            f"cannot write {target}: {err.filename} is a file, expected a directory"
        ) from err


def _publish(tmp: str | Path, target: Path) -> None:
    """Give ``tmp`` the permissions of a normally created file and rename it onto ``target``."""
    # mkstemp creates 0600 files; an output meant to be shared should read like any other file.
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, target)


# Tried in this order; cp1252 is what spreadsheets on Windows write, and it
# decodes "Dālbandīn"-free Latin text that UTF-8 rejects.
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")
# Control characters no text table contains (tab, line ends and form feed are
# allowed). latin-1 decodes any bytes at all, so random bytes without a NUL come
# out as "text" full of these.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    # A stray control character (a DOS end-of-file mark, say) is not enough.
    return len(_CONTROL_CHARS.findall(sample)) > max(8, len(sample) // 100)


def open_input(path: str | os.PathLike[str], *, expected: str = "a file") -> BinaryIO:
    """Open an input file for binary reading; a missing or unreadable one is an InputError.

    ``expected`` names what the path should have been, for the message when it
    is a directory.
    """
    p = Path(path)
    try:
        return open(p, "rb")
    except FileNotFoundError as err:
        raise InputError("no such file", path=p) from err
    except IsADirectoryError as err:
        raise InputError(f"is a directory, expected {expected}", path=p) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=p) from err


def read_text(path: str | os.PathLike[str]) -> str:
    """Return the text of ``path``, decoding UTF-8 (with or without BOM) or a legacy encoding.

    Raises
    ------
    InputError
        If the file is missing, unreadable, empty of text or binary.
    """
    return _read_decoded(path)[0]


def read_text_utf8(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """Return :func:`read_text` and that text encoded as UTF-8.

    For a file in UTF-8 (most are) the second is the file's own bytes, its
    byte order mark aside: no second encoding of a large file.
    """
    text, utf8 = _read_decoded(path)
    return text, text.encode("utf-8") if utf8 is None else utf8


def _read_decoded(path: str | os.PathLike[str]) -> tuple[str, bytes | None]:
    """Return the text of ``path``, and its bytes when they are that text in UTF-8."""
    p = Path(path)
    with open_input(p) as fh:
        try:
            raw = fh.read()
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path=p) from err
    wide = _wide_encoding(raw)
    if wide is None and b"\x00" in raw[:65536]:
        raise InputError("looks like a binary file, expected text (CSV or TSV)", path=p)
    utf8: bytes | None = None
    if wide is not None:
        text = _decode_wide(raw, wide)
    else:
        try:
            text = raw.decode("utf-8-sig")
            utf8 = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
        except UnicodeDecodeError:
            text = _decode_legacy(raw)
    if text is None:
        raise InputError("cannot decode the file as UTF-8 or a legacy encoding", path=p)
    if _looks_binary(text):
        raise InputError("looks like a binary file, expected text (CSV or TSV)", path=p)
    return text, utf8


# Excel's "Unicode text" export is UTF-16 with a byte order mark (and tabs).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """Return "utf-16" or "utf-32" when ``raw`` starts with that encoding's byte order mark."""
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return encoding
    return None


def _decode_wide(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)  # the codec reads the mark and drops it
    except UnicodeDecodeError:
        return None


def _decode_legacy(raw: bytes) -> str | None:
    """Decode bytes that are not UTF-8: the encoding charset-normalizer finds, else a fallback."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        return str(best)
    for encoding in _FALLBACK_ENCODINGS:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(encoding)
    return None


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Open a temporary file beside ``path`` and rename it into place on success.

    A failed or interrupted write leaves an existing ``path`` untouched and no
    partial file behind. ``newline=""`` suits CSV writers.
    """
    target = Path(path)
    _make_parent(target)
    binary = "b" in mode
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=newline) as fh:
            yield fh
        _publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place on success.

    For writers that want a file name rather than a handle (GeoPackage, Parquet).
    """
    target = Path(path)
    _make_parent(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        yield Path(tmp)
        _publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise

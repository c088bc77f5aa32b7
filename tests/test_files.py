"""Reading text in the encodings files arrive in, and writing outputs atomically."""

from __future__ import annotations

import pytest

from mapper.errors import InputError
from mapper.files import atomic_path, atomic_write, read_text, read_text_utf8

TEXT = "name,latitude\nDālbandīn,28.88846\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_read_text_decodes_utf8_with_and_without_bom(tmp_path, encoding):
    path = tmp_path / "places.csv"
    path.write_bytes(TEXT.encode(encoding))
    assert read_text(path) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_read_text_decodes_utf16_and_utf32_with_their_byte_order_mark(tmp_path, encoding):
    # Excel's "Unicode text" export: UTF-16 with a mark, and NUL bytes in every other byte.
    path = tmp_path / "places.txt"
    mark = {"utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((mark + TEXT).encode(encoding))
    assert read_text(path) == TEXT


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "ascii"])
def test_read_text_utf8_gives_the_text_and_exactly_its_utf8_bytes(tmp_path, encoding):
    text = {"cp1252": "name,note\nQuetta,\u201cprovincial capital\u201d \u2013 caf\u00e9\n"}.get(
        encoding, TEXT if encoding != "ascii" else "name,latitude\nDalbandin,28.88846\n"
    )
    path = tmp_path / "places.csv"
    path.write_bytes(text.encode(encoding))
    got, data = read_text_utf8(path)
    assert got == read_text(path) == text
    assert data == text.encode("utf-8")  # no byte order mark either


def test_read_text_rejects_utf16_without_a_mark_as_binary(tmp_path):
    path = tmp_path / "places.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(InputError, match=r"places\.txt: looks like a binary file"):
        read_text(path)


def test_read_text_decodes_cp1252_spreadsheet_export(tmp_path):
    text = "name,note\nQuetta,“provincial capital” – café\n"
    path = tmp_path / "places.csv"
    path.write_bytes(text.encode("cp1252"))
    assert read_text(path) == text


def test_read_text_rejects_binary(tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"random\.csv: looks like a binary file"):
        read_text(path)


def test_read_text_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: no such file"):
        read_text(tmp_path / "nope.csv")


def test_read_text_rejects_a_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_atomic_write_replaces_on_success(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old")
    with atomic_write(out) as fh:
        fh.write("new")
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_write_leaves_existing_output_untouched_on_failure(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(out) as fh:
        fh.write("half a fi")
        raise RuntimeError("boom")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_path_leaves_no_partial_file_on_failure(tmp_path):
    out = tmp_path / "sub" / "out.parquet"
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_bytes(b"partial")
        raise RuntimeError("interrupted")
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_atomic_outputs_get_ordinary_file_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.csv") as fh:
            fh.write("x")
        with atomic_path(tmp_path / "b.parquet") as tmp:
            tmp.write_bytes(b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.parquet").stat().st_mode & 0o777 == 0o644

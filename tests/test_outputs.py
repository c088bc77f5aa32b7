"""Outputs are atomic and deterministic (issue 6, items 4 and 5).

Atomic: when a write fails half way (the disk fills up) or cannot happen (a file
stands where the output's directory should be), an existing output keeps its
exact bytes, no partial or temporary file is left beside it, and the command
says so in one line with exit status 2. Deterministic: the same inputs give
byte-identical maps, CSVs, GeoJSON, GeoPackage and Parquet files, run after run
and process after process (with different hash seeds).
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mapper.cli import EXIT_BUG, main

REPO = Path(__file__).resolve().parents[1]
FIX = Path(__file__).resolve().parent / "fixtures"
ACLED = FIX / "acled" / "acled_export.csv"
OLD = b"an earlier output that must survive\n"

NAMES_CSV = "name,province\nQuetta,Balochistan\nNoshki,\nDalbandin,\nAtlantisville,\n"


def _names(tmp: Path) -> Path:
    f = tmp / "names.csv"
    f.write_text(NAMES_CSV, encoding="utf-8")
    return f


# Each output: (arguments writing to OUT, the output's file name).
OUTPUTS = {
    "map": (lambda out: ["map", "-o", str(out), "--tiles", "none"], "map.html"),
    "csv-export": (lambda out: ["export", "-o", str(out)], "incidents.csv"),
    "geojson": (lambda out: ["export", "-o", str(out)], "incidents.geojson"),
    "gpkg": (lambda out: ["export", "-o", str(out)], "incidents.gpkg"),
    "parquet": (lambda out: ["export", "-o", str(out)], "incidents.parquet"),
    "report": (
        lambda out: ["validate", "--report", str(out)],
        "report.csv",
    ),
}


def _resolve_argv(tmp: Path, out: Path) -> list[str]:
    return ["resolve", "-i", str(_names(tmp)), "-c", "name", "-o", str(out)]


def _listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


class _DiskFull:
    """A file object that writes half of what it is given, then fails like a full disk."""

    def __init__(self, real: object) -> None:
        self._real = real

    def write(self, data: object) -> int:
        self._real.write(data[: len(data) // 2])  # type: ignore[index]
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def __enter__(self) -> _DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()  # type: ignore[attr-defined]


@pytest.fixture
def disk_full(monkeypatch):
    """Make every write of an output fail half way, whatever library writes it."""
    import geopandas as gpd

    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        return _DiskFull(real_fdopen(fd, *args, **kwargs))

    def half_then_fail(self, path, *args, **kwargs):
        Path(path).write_bytes(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", half_then_fail)
    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", half_then_fail)


def _assert_one_line_error(code: int, err: str, pattern: str) -> None:
    assert code == 2 and code != EXIT_BUG, err
    lines = [ln for ln in err.strip().splitlines() if ln.startswith("mapper: error:")]
    assert len(lines) == 1 and pattern in lines[0], err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("kind", [*OUTPUTS, "resolve-csv"])
def test_a_write_failing_half_way_leaves_the_existing_output_untouched(
    tmp_path, capsys, disk_full, kind
):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    if kind == "resolve-csv":
        out = out_dir / "resolved.csv"
        argv = _resolve_argv(tmp_path, out)
    else:
        make, name = OUTPUTS[kind]
        out = out_dir / name
        argv = make(out)
    out.write_bytes(OLD)
    code = main(argv)
    _, err = capsys.readouterr()
    _assert_one_line_error(code, err, "No space left on device")
    assert _listing(out_dir) == {out.name: OLD}  # same bytes, nothing beside it


def test_a_failed_import_leaves_an_existing_dataset_directory_as_it_was(
    tmp_path, capsys, disk_full
):
    out = tmp_path / "imported"
    out.mkdir()
    before = {"incidents.csv": b"old incidents\n", "claims.csv": b"old claims\n"}
    before["dataset.json"] = b"{}\n"
    for name, data in before.items():
        (out / name).write_bytes(data)
    code = main(["import", "acled", str(ACLED), "-o", str(out)])
    _, err = capsys.readouterr()
    _assert_one_line_error(code, err, "No space left on device")
    assert _listing(out) == before


def test_an_import_failing_on_its_last_file_renames_none_of_them(tmp_path, monkeypatch):
    # The failure comes after incidents.csv and claims.csv are written in full.
    import json

    from mapper.importers import write_dataset
    from mapper.importers.acled import import_acled

    out = tmp_path / "imported"
    out.mkdir()
    (out / "incidents.csv").write_bytes(b"old incidents\n")

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(json, "dump", fail)
    with pytest.raises(OSError, match="input/output error"):
        write_dataset(import_acled(ACLED), out)
    assert _listing(out) == {"incidents.csv": b"old incidents\n"}


@pytest.mark.parametrize("kind", ["map", "geojson", "gpkg"])
def test_an_output_under_a_file_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, capsys, kind
):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(OLD)
    make, name = OUTPUTS[kind]
    code = main(make(blocker / name))
    _, err = capsys.readouterr()
    _assert_one_line_error(code, err, f"{blocker} is a file, expected a directory")
    assert _listing(tmp_path) == {"not-a-dir": OLD}


def test_an_output_that_is_a_directory_is_refused_and_left_alone(tmp_path, capsys):
    target = tmp_path / "incidents.csv"
    target.mkdir()
    (target / "keep.txt").write_bytes(OLD)
    code = main(["export", "-o", str(target)])
    _, err = capsys.readouterr()
    _assert_one_line_error(code, err, f"{target}: Is a directory")
    assert [p.name for p in tmp_path.iterdir()] == ["incidents.csv"]
    assert _listing(target) == {"keep.txt": OLD}


def test_a_failed_map_keeps_the_existing_map(tmp_path, capsys):
    # The user-facing case of the issue: a map exists, the next run's input is broken.
    out = tmp_path / "map.html"
    assert main(["map", "-o", str(out), "--tiles", "none"]) == 0
    before = out.read_bytes()
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'incident_id,date,event_type\n1,2026-01-01,"Battles\n')
    code = main(["map", str(broken), "-o", str(out), "--tiles", "none"])
    _, err = capsys.readouterr()
    _assert_one_line_error(code, err, f"{broken}:2: broken CSV quoting")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "map.html"]


# --- determinism ------------------------------------------------------------------------


def _digest(path: Path) -> dict[str, str]:
    if path.is_dir():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}


def _write_all(tmp: Path) -> dict[str, dict[str, str]]:
    """Write every kind of output once into ``tmp``; return their digests."""
    tmp.mkdir(parents=True, exist_ok=True)
    digests = {}
    for kind, (make, name) in OUTPUTS.items():
        assert main(make(tmp / name)) == 0, kind
        digests[kind] = _digest(tmp / name)
    assert main(_resolve_argv(tmp, tmp / "resolved.csv")) == 0
    digests["resolve-csv"] = _digest(tmp / "resolved.csv")
    assert main(["import", "acled", str(ACLED), "-o", str(tmp / "imported")]) == 0
    digests["import"] = _digest(tmp / "imported")
    return digests


def test_the_same_inputs_give_byte_identical_outputs_run_after_run(tmp_path, capsys):
    first = _write_all(tmp_path / "one")
    second = _write_all(tmp_path / "two")
    capsys.readouterr()
    assert set(first) == {*OUTPUTS, "resolve-csv", "import"}
    for kind in first:
        assert first[kind] == second[kind], kind


_FILES = ("map.html", "incidents.geojson", "incidents.gpkg", "incidents.parquet")
_SCRIPT = """
import hashlib, sys
from pathlib import Path
from mapper.cli import main
out = Path(sys.argv[1])
out.mkdir()
for name in sys.argv[2:]:
    argv = ["map", "--tiles", "none"] if name.endswith(".html") else ["export"]
    assert main([*argv, "-o", str(out / name)]) == 0
    print(name, hashlib.sha256((out / name).read_bytes()).hexdigest())
"""


def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(tmp_path / seed), *_FILES],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=180,
        )
        assert proc.returncode == 0, proc.stderr
        digests = [ln.split() for ln in proc.stdout.splitlines() if ln.startswith(_FILES)]
        outputs.append(digests)
    assert [name for name, _ in outputs[0]] == list(_FILES)
    assert outputs[0] == outputs[1]

"""The command line's own contract: one-line usage errors, user mistakes vs bugs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mapper import cli
from mapper.errors import InputError


def test_no_command_is_a_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "mapper: error:" in err
    assert "Traceback" not in err


def test_unknown_command_is_a_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def _fake_command(monkeypatch, exc: BaseException):
    real = cli.build_parser

    def build():
        parser = real()
        parser.set_defaults()
        sub = next(a for a in parser._actions if a.dest == "command")
        p = sub.add_parser("boom")

        def run(args):
            raise exc

        p.set_defaults(run=run)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)


def test_user_mistake_prints_one_line_and_its_exit_code(monkeypatch, capsys):
    _fake_command(monkeypatch, InputError("expected a CSV header", path="x.csv", line=1))
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err == "mapper: error: x.csv:1: expected a CSV header\n"


def test_bug_says_so_without_traceback(monkeypatch, capsys):
    _fake_command(monkeypatch, ZeroDivisionError("division by zero"))
    assert cli.main(["boom"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert "internal error (ZeroDivisionError" in err
    assert "This is a bug in mapper" in err
    assert "Traceback" not in err


def test_bug_with_debug_shows_traceback(monkeypatch, capsys):
    _fake_command(monkeypatch, ZeroDivisionError("division by zero"))
    assert cli.main(["--debug", "boom"]) == cli.EXIT_BUG
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_console_script_runs_as_a_process():
    proc = subprocess.run(
        [sys.executable, "-m", "mapper.cli", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.strip().startswith("mapper ")

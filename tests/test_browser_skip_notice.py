"""Without Chromium, ``make test`` says loudly at the end that the browser tests were skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).parent / "browser" / "conftest.py"
INSTALLED = 'CHROMIUM = Path("/usr/bin/chromium")'


@pytest.fixture
def no_chromium(pytester, monkeypatch):
    """A test directory with the browser conftest, on a machine where Chromium is missing."""
    text = CONFTEST.read_text(encoding="utf-8")
    assert text.count(INSTALLED) == 1
    pytester.makeconftest(text.replace(INSTALLED, 'CHROMIUM = Path("/nonexistent/chromium")'))
    pytester.makeini(
        "[pytest]\naddopts = -ra --strict-markers\nmarkers =\n    browser: drives Chromium\n"
    )
    pytester.makepyfile(
        test_page="""
        import pytest

        @pytest.mark.browser
        def test_one(browser):
            pass

        @pytest.mark.browser
        def test_two(browser):
            pass

        def test_plain():
            pass
        """
    )
    monkeypatch.delenv("MAPPER_REQUIRE_BROWSER", raising=False)
    return pytester


def test_skipped_browser_tests_are_announced_last_with_the_install_command(no_chromium):
    result = no_chromium.runpytest_subprocess()
    result.assert_outcomes(passed=1, skipped=2)
    lines = result.outlines
    banner = next(i for i, line in enumerate(lines) if "BROWSER TESTS SKIPPED" in line)
    assert lines[banner].startswith("!!!")
    assert (
        lines[banner + 1] == "2 browser tests were SKIPPED: /nonexistent/chromium is not installed."
    )
    assert any("apt-get install chromium" in line for line in lines[banner:])
    assert any("MAPPER_REQUIRE_BROWSER=1" in line for line in lines[banner:])
    # At the end: after pytest's short summary, just above the final count.
    summary = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    assert summary < banner
    assert "1 passed, 2 skipped" in lines[-1]
    assert all("=" not in line or "BROWSER" in line for line in lines[banner:-1])


def test_with_chromium_required_the_browser_tests_fail_and_no_notice_is_printed(
    no_chromium, monkeypatch
):
    monkeypatch.setenv("MAPPER_REQUIRE_BROWSER", "1")
    result = no_chromium.runpytest_subprocess()
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        ["*MAPPER_REQUIRE_BROWSER=1 but the browser tests cannot run: /nonexistent/chromium*"]
    )
    assert "BROWSER TESTS SKIPPED" not in result.stdout.str()


def test_with_chromium_installed_nothing_is_announced(pytester, monkeypatch):
    # The real conftest, on this machine: where Chromium is missing this is the skip case.
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is not installed here")
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers =\n    browser: drives Chromium\n")
    pytester.makepyfile(
        test_page="import pytest\n\n@pytest.mark.browser\ndef test_x():\n    pass\n"
    )
    monkeypatch.delenv("MAPPER_REQUIRE_BROWSER", raising=False)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert "BROWSER TESTS SKIPPED" not in result.stdout.str()

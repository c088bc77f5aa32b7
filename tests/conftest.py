"""Settings for the whole suite: Hypothesis profiles, the plugin tester, shared fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# pytester runs pytest inside a test (tests/test_browser_skip_notice.py).
pytest_plugins = ["pytester"]

# CI: the same examples every run (a failure there is reproducible, not a coin toss),
# and more of them. Elsewhere: fresh random examples each run, fewer of them.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


@pytest.fixture(scope="session")
def g():
    """The default gazetteer (built once per process)."""
    from mapper.gazetteer import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def areas():
    """The bundled areas: Pakistan's districts and provinces, the world's countries."""
    from mapper.areas import Areas

    return Areas.bundled()

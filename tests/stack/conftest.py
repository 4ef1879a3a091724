"""The tests marked `stack` start the whole production stack (gunicorn, a Celery worker and
beat through the deploy/ scripts, on a fresh PostgreSQL database and a Redis database of their
own) and take minutes: they run only when asked for by marker (`pytest -m stack`: `make smoke`,
CI's own step), never within `make test`."""

from __future__ import annotations

import pytest

# How long each stage of the stack took (tests/stack/test_smoke.py), shown after the run.
TIMINGS = pytest.StashKey[dict[str, float]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "stack" in (config.option.markexpr or ""):
        return
    # By marker, not keyword: every test in this folder has "stack" among its keywords.
    stack = [item for item in items if item.get_closest_marker("stack")]
    if stack:
        config.hook.pytest_deselected(items=stack)
        items[:] = [item for item in items if not item.get_closest_marker("stack")]


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    timings = config.stash.get(TIMINGS, None)
    if timings:
        terminalreporter.write_sep("-", "stack timings (seconds from the start)")
        for stage, seconds in timings.items():
            terminalreporter.write_line(f"{stage:<32} {seconds:6.1f}")

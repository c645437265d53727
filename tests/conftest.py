"""Shared fixtures.

Tests that need the real data in ``../shared/`` (not bundled: licences or size) take
the ``shared`` fixture. Where it is absent they skip with the reason, except under CI
(``CI=true``), where its absence fails the run: CI must never pass by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_root() -> Path:
    env = os.environ.get("BASEWATCH_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """Root of the project's shared data folder (``../shared``)."""
    root = _shared_root()
    if not (root / "data").is_dir():
        msg = (
            f"shared data folder not found at {root} (set BASEWATCH_SHARED to its path); "
            "these tests read real imagery that is not bundled in the repository"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " -- under CI it must be present")
        pytest.skip(msg)
    return root


@pytest.fixture(scope="session")
def shared_data(shared: Path) -> Path:
    return shared / "data"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO

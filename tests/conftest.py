"""Shared fixtures. The spaCy pipeline is built once per session, as spaCy's own tests do."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.registry import Registry, bundled_registry_path, load_registry

ROOT = Path(__file__).resolve().parents[1]
MINI_REGISTRY = ROOT / "tests" / "data" / "mini_registry"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def bundled_registry() -> Registry:
    return load_registry([bundled_registry_path()])


@pytest.fixture(scope="session")
def mini_registry() -> Registry:
    return load_registry([MINI_REGISTRY])


@pytest.fixture(scope="session")
def linter(bundled_registry: Registry) -> Linter:
    """A linter over the bundled registry with default settings."""
    return Linter(Settings(root=ROOT), registry=bundled_registry)


@pytest.fixture(scope="session")
def mini_linter(mini_registry: Registry) -> Linter:
    """A linter over the small test registry, for tests that must not move with the data."""
    return Linter(Settings(root=ROOT), registry=mini_registry)

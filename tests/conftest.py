"""Shared fixtures. The spaCy pipeline is built once per session, as spaCy's own tests do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry as SchemaRegistry
from referencing.jsonschema import DRAFT7

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
    # The classifier is trained data too; rules tested on the mini registry run without it.
    return Linter(Settings(root=ROOT, classifier=False), registry=mini_registry)


SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="session")
def sarif_validator() -> Draft7Validator:
    """A validator for the official SARIF 2.1.0 schema that never touches the network."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    # A registry without a retriever holds only this file, so no $ref can reach the network.
    registry = SchemaRegistry().with_resource(schema["$id"], DRAFT7.create_resource(schema))
    # This copy of the schema keeps the log's shape under definitions/Root and constrains
    # nothing at its top level; validating against the document itself would accept anything.
    has_root = "Root" in schema.get("definitions", {}) and "properties" not in schema
    target = f"{schema['$id']}#/definitions/Root" if has_root else schema["$id"]
    return Draft7Validator({"$ref": target}, registry=registry)

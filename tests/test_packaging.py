"""The wheel: it must carry the data files claimlint reads at run time, and the entry point.

The wheel is built from the working tree with the virtualenv's own hatchling
(``python -m build --wheel --no-isolation``), so no build dependencies are downloaded.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "claimlint"
BUILD_TIMEOUT = 600  # seconds

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir),
         str(ROOT)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [built] = outdir.glob("claimlint-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _read(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


def _expected(folder: Path, pattern: str, prefix: str) -> dict[str, Path]:
    files = sorted(folder.glob(pattern))
    assert files, f"no {pattern} in {folder}"
    return {f"{prefix}/{f.name}": f for f in files}


def test_wheel_holds_every_registry_file(wheel: Path, names: set[str]) -> None:
    expected = _expected(ROOT / "claims", "*.yaml", "claimlint/claims")
    assert set(expected) <= names, sorted(set(expected) - names)
    for name, source in expected.items():
        assert _read(wheel, name) == source.read_bytes(), name


@pytest.mark.parametrize(("folder", "prefix"), [
    (SRC / "registry" / "schema", "claimlint/registry/schema"),
    (SRC / "nlp" / "patterns", "claimlint/nlp/patterns"),
    (SRC / "config", "claimlint/config"),
])
def test_wheel_holds_the_json_data(wheel: Path, names: set[str], folder: Path,
                                   prefix: str) -> None:
    expected = _expected(folder, "*.json", prefix)
    assert set(expected) <= names, sorted(set(expected) - names)
    for name in expected:
        json.loads(_read(wheel, name))  # every packaged data file is valid JSON


def test_wheel_holds_the_config_schema(wheel: Path, names: set[str]) -> None:
    assert "claimlint/config/schema.json" in names
    schema = json.loads(_read(wheel, "claimlint/config/schema.json"))
    assert "select" in schema["properties"]


def test_wheel_declares_the_console_script(wheel: Path, names: set[str]) -> None:
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(_read(wheel, entry_points).decode("utf-8"))
    assert parser["console_scripts"]["claimlint"].strip() == "claimlint.cli:main"


def test_wheel_runs_from_its_own_files(wheel: Path, tmp_path: Path) -> None:
    """Unpacked on its own, the wheel finds its registry, schemas and patterns inside itself."""
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(site), "GITHUB_ACTIONS": ""}
    probe = (
        "import claimlint, claimlint.registry as r; "
        "print(claimlint.__file__); print(r.bundled_registry_path())"
    )
    where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, timeout=120, check=True).stdout.splitlines()
    assert Path(where[0]).is_relative_to(site), where
    assert Path(where[1]) == site / "claimlint" / "claims", where

    def claimlint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "claimlint", *args], env=env,
                              cwd=tmp_path, input=stdin, capture_output=True, text=True,
                              timeout=300, check=False)

    validated = claimlint("registry", "validate")
    assert validated.returncode == 0, validated.stderr
    assert f"in {site / 'claimlint' / 'claims'}" in validated.stdout

    checked = claimlint("check", "-", "--stdin-filename", "post.md",
                        stdin="NAD+ infusions are extremely safe.\n")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    # A wording rule, or a registry entry should the bundled registry ever cover NAD+.
    assert re.search(r"^post\.md:1:\d+: (CL101|CL001) ", checked.stdout, flags=re.M), \
        checked.stdout

    bad_config = tmp_path / ".claimlint.toml"
    bad_config.write_text("colour = 1\n", encoding="utf-8")
    configured = claimlint("check", "-", stdin="")
    assert configured.returncode == 2, configured.stdout + configured.stderr
    assert "unknown key 'colour'" in configured.stderr

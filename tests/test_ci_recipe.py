"""The CI recipes: the example workflow (docs/ci/github-actions.yml), the composite action
(action.yml) and the pre-commit configuration the README documents.

They run on GitHub, not here, so these tests check what can be checked offline: the files parse,
every action input is used, the steps wire together (the SARIF file written is the one
uploaded), every ``claimlint`` option they pass exists, and untrusted expressions never reach a
shell script directly.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from claimlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
ACTION = ROOT / "action.yml"
README = ROOT / "README.md"
UPLOAD_SARIF = "github/codeql-action/upload-sarif@v3"


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), path
    return data


def _workflow_steps() -> list[dict[str, Any]]:
    jobs = _load(WORKFLOW)["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


def _action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _load(ACTION)["runs"]["steps"]
    return steps


def _check_options() -> set[str]:
    command = main.commands["check"]
    assert isinstance(command, click.Command)
    return {opt for p in command.params if isinstance(p, click.Option)
            for opt in (*p.opts, *p.secondary_opts)}


def _claimlint_options(script: str) -> list[str]:
    """The options of every ``claimlint check`` command in a shell script."""
    out = []
    for line in script.replace("\\\n", " ").splitlines():
        if "claimlint check" in line:
            words = shlex.split(line.split("claimlint check", 1)[1].split("||")[0])
            out += [w for w in words if w.startswith("-") and w != "-"]
    return out


def _readme_yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text("utf-8"), flags=re.S)


# -- the example workflow ----------------------------------------------------------------------


def test_workflow_runs_on_pull_requests_with_full_history() -> None:
    workflow = _load(WORKFLOW)
    # YAML 1.1 reads a bare `on` key as true; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict) and "pull_request" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    steps = _workflow_steps()
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    assert any("pip install" in s.get("run", "") and "claimlint" in s["run"] for s in steps)


def test_workflow_annotates_and_uploads_sarif() -> None:
    steps = _workflow_steps()
    runs = [s for s in steps if "claimlint check" in s.get("run", "")]
    scripts = [" ".join(s["run"].split()) for s in runs]
    assert any("--format github" in s and '--diff-base "origin/$BASE_REF"' in s for s in scripts)
    assert any("--format sarif -o claimlint.sarif" in s for s in scripts)
    assert all(s["env"]["BASE_REF"] == "${{ github.base_ref }}" for s in runs)
    upload = next(s for s in steps if s.get("uses") == UPLOAD_SARIF)
    assert upload["with"]["sarif_file"] == "claimlint.sarif"
    # The upload comes after the report and before the gate that fails the job.
    order = [s.get("uses") or s.get("run", "") for s in steps]
    sarif_at = next(i for i, s in enumerate(order) if "--format sarif" in s)
    gate_at = next(i for i, s in enumerate(order) if "--format github" in s)
    assert sarif_at < order.index(UPLOAD_SARIF) < gate_at


# -- the composite action ---------------------------------------------------------------------


def test_action_is_composite_and_installs_from_its_own_path() -> None:
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "args", "sarif", "python-version"}
    assert all("description" in i and "default" in i for i in action["inputs"].values())
    steps = _action_steps()
    assert all("shell" in s for s in steps if "run" in s)  # composite run steps need one
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$ACTION_PATH"' in install["run"]
    assert (ROOT / "pyproject.toml").is_file()  # what that path installs


def test_every_action_input_is_used_in_its_steps() -> None:
    action = _load(ACTION)
    text = yaml.safe_dump(_action_steps())
    for name in action["inputs"]:
        assert f"inputs.{name}" in text, f"input {name!r} is declared but never used"


def test_action_uploads_sarif_only_when_asked() -> None:
    steps = _action_steps()
    upload = next(s for s in steps if s.get("uses") == UPLOAD_SARIF)
    assert upload["with"]["sarif_file"] == "claimlint.sarif"
    report = next(s for s in steps if "--format sarif" in s.get("run", ""))
    assert "-o claimlint.sarif" in report["run"]
    for step in (upload, report):
        assert "inputs.sarif == 'true'" in step["if"]
    gate = steps[-1]
    assert "--format github" in gate["run"] and "if" not in gate


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=lambda p: p.name)
def test_scripts_use_only_real_options_and_no_inline_expressions(path: Path) -> None:
    steps = _workflow_steps() if path == WORKFLOW else _action_steps()
    known = _check_options()
    scripts = [s["run"] for s in steps if "run" in s]
    assert scripts
    for script in scripts:
        # ${{ }} inside a script is pasted in before the shell runs (script injection);
        # values reach scripts through env instead.
        assert "${{" not in script, script
        unknown = [o for o in _claimlint_options(script) if o not in known]
        assert not unknown, f"{path.name}: claimlint check has no option {unknown}"


# -- the README ------------------------------------------------------------------------------


def test_readme_documents_the_composite_action() -> None:
    blocks = [yaml.safe_load(b) for b in _readme_yaml_blocks() if "<org>/claimlint@v1" in b]
    assert blocks, "README has no workflow using <org>/claimlint@v1"
    steps = [s for job in blocks[0]["jobs"].values() for s in job["steps"]]
    used = next(s for s in steps if s.get("uses") == "<org>/claimlint@v1")
    assert set(used["with"]) <= set(_load(ACTION)["inputs"])
    assert _claimlint_options(f"claimlint check {used['with']['args']}")
    assert all(o in _check_options() for o in _claimlint_options(
        f"claimlint check {used['with']['args']}"))
    assert "docs/ci/github-actions.yml" in README.read_text("utf-8")


def test_readme_documents_a_pre_commit_config() -> None:
    configs = [yaml.safe_load(b) for b in _readme_yaml_blocks() if "pre-commit-config" in b]
    assert configs
    [repo] = configs[0]["repos"]
    assert isinstance(repo["rev"], str) and repo["rev"]
    [hook] = repo["hooks"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "claimlint" == hooks[0]["id"]
    assert hook["args"] == ["--baseline", ".claimlint-baseline.json"]
    assert all(a in _check_options() for a in hook["args"] if a.startswith("-"))

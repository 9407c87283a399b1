"""The pre-commit hook, run by the real pre-commit framework in a throwaway git repository.

The temporary repository's ``.pre-commit-config.yaml`` points at this checkout
(``repo: <path of the project>``) at its HEAD commit. pre-commit clones that local repository at
that revision and pip-installs it into a fresh virtualenv, so these tests exercise what is
*committed* (``.pre-commit-hooks.yaml``, ``pyproject.toml``, ``src/``), not uncommitted edits in
the working tree. That is deliberate: it is exactly what a user of the hook gets.

Installing the hook environment downloads spaCy and its dependencies from the package index the
first time, hence the ``slow`` marker and the generous timeouts. PRE_COMMIT_HOME points into a
temporary folder, so the user's pre-commit cache is neither used nor touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 1800  # seconds: building the hook's virtualenv (spaCy and friends)
RUN_TIMEOUT = 600  # seconds: one hook run (spaCy pipeline build plus linting)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

# Written for these tests; NAD+ is covered by the wording rules whatever the registry holds.
OVERCLAIM = """\
# NAD+ drips

Our NAD+ infusions are **extremely safe** and have no side effects.
"""
FAIR = """\
# NAD+ drips

Some people feel nausea or flushing during an NAD+ drip, so a nurse stays with you for the
whole infusion.
"""


def shows_finding(output: str, path: str, line: int) -> bool:
    """Whether claimlint's text report in ``output`` has a finding at ``path:line``.

    The rule is CL101 (absolute safety, a wording rule), or CL001 should the registry at the
    pinned revision ever hold an NAD+ safety entry.
    """
    pattern = rf"^{re.escape(path)}:{line}:\d+: (CL101|CL001) "
    return re.search(pattern, output, flags=re.M) is not None


@dataclass(frozen=True)
class HookRepo:
    path: Path
    env: Mapping[str, str]

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(["git", *args], self.path, self.env, RUN_TIMEOUT, check=check)

    def pre_commit(self, *args: str,
                   timeout: int = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
        return _run([sys.executable, "-m", "pre_commit", *args], self.path, self.env, timeout,
                    check=False)

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8")


def _run(args: list[str], cwd: Path, env: Mapping[str, str], timeout: int, *,
         check: bool) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=dict(env), timeout=timeout, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}")
    return result


def _project_head() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, text=True,
                          capture_output=True, timeout=60).stdout.strip()


def _config() -> str:
    return ("repos:\n"
            f"  - repo: {ROOT}\n"
            f"    rev: {_project_head()}\n"
            "    hooks:\n"
            "      - id: claimlint\n")


def _new_repo(path: Path, env: Mapping[str, str], config: str) -> HookRepo:
    path.mkdir()
    hooks = HookRepo(path, env)
    hooks.git("init", "-q", "-b", "main")
    hooks.git("config", "user.name", "claimlint tests")
    hooks.git("config", "user.email", "tests@claimlint.invalid")
    hooks.git("config", "commit.gpgsign", "false")
    hooks.write(".pre-commit-config.yaml", config)
    hooks.git("add", ".pre-commit-config.yaml")
    hooks.git("commit", "-q", "-m", "pre-commit configuration")
    return hooks


@pytest.fixture(scope="module")
def hook_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    """An environment whose PRE_COMMIT_HOME already holds the installed hook, and the config.

    The hook's virtualenv is built once here; every test then gets a fresh repository with the
    same configuration, which pre-commit serves from that cache.
    """
    base = tmp_path_factory.mktemp("precommit")
    global_config = base / "gitconfig"
    global_config.write_text("", encoding="utf-8")
    # Outer git state (GIT_DIR from a hook, the user's global hooksPath, ...) must not leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": str(global_config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_COLOR": "never",
        "GITHUB_ACTIONS": "",  # keep claimlint's text format whatever CI runs the tests
    })
    config = _config()
    setup = _new_repo(base / "setup", env, config)
    installed = setup.pre_commit("install-hooks", timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, installed.stdout
    return env, config


@pytest.fixture
def hook_repo(tmp_path: Path, hook_setup: tuple[dict[str, str], str]) -> HookRepo:
    env, config = hook_setup
    return _new_repo(tmp_path / "site", env, config)


def test_overclaim_fails_with_the_finding(hook_repo: HookRepo) -> None:
    hook_repo.write("overclaim.md", OVERCLAIM)
    hook_repo.git("add", "overclaim.md")
    result = hook_repo.pre_commit("run", "--files", "overclaim.md")
    assert result.returncode == 1, result.stdout
    assert "claimlint" in result.stdout and "Failed" in result.stdout, result.stdout
    assert shows_finding(result.stdout, "overclaim.md", 3), result.stdout


def test_fair_post_passes(hook_repo: HookRepo) -> None:
    hook_repo.write("fair.md", FAIR)
    hook_repo.git("add", "fair.md")
    result = hook_repo.pre_commit("run", "--files", "fair.md")
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout, result.stdout


def test_hook_leaves_files_that_are_not_copy_alone(hook_repo: HookRepo) -> None:
    hook_repo.write("make_page.py", f'"""Builds the NAD+ page."""\n\nTEXT = """\n{OVERCLAIM}"""\n')
    hook_repo.git("add", "make_page.py")
    result = hook_repo.pre_commit("run", "--files", "make_page.py")
    assert result.returncode == 0, result.stdout
    assert "(no files to check)Skipped" in result.stdout, result.stdout


def test_commit_hook_blocks_overclaims(hook_repo: HookRepo) -> None:
    installed = hook_repo.pre_commit("install")
    assert installed.returncode == 0, installed.stdout
    hook_repo.write("page.md", FAIR)
    hook_repo.git("add", "page.md")
    hook_repo.git("commit", "-q", "-m", "a fair page")  # the hook passes

    head = hook_repo.git("rev-parse", "HEAD").stdout
    hook_repo.write("page.md", FAIR + "\n" + OVERCLAIM)
    hook_repo.git("add", "page.md")
    rejected = hook_repo.git("commit", "-m", "an overclaim", check=False)
    assert rejected.returncode != 0, rejected.stdout
    assert shows_finding(rejected.stdout, "page.md", 8), rejected.stdout
    assert hook_repo.git("rev-parse", "HEAD").stdout == head

"""End-to-end tests of the command line, through click's CliRunner on ``claimlint.cli.main``.

Every ``check`` and ``extract`` run builds the spaCy pipeline (about a second), so the runs are
few and shared where one output can answer several questions.

Determinism: the copy under test is copied into a fresh temporary folder (so no project
configuration above the repository can change the result), and lint runs use only the small
test registry (``--no-bundled-registry --registry tests/data/mini_registry``), so the bundled
registry can grow without moving these tests. Language-rule cases are written about NAD+, a
therapy the mini registry does not cover, so only the wording rules judge them.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft7Validator

from claimlint.cli import main
from claimlint.rules import RULES
from claimlint.rules.base import DOC_SECTIONS

ROOT = Path(__file__).resolve().parents[1]
MINI_REGISTRY = ROOT / "tests" / "data" / "mini_registry"
POSTS = ROOT / "tests" / "data" / "cli" / "posts"

# Every lint run uses the small test registry only.
MINI = ("--no-bundled-registry", "--registry", str(MINI_REGISTRY))

# The keys "README: JSON output" documents for each finding (Finding.to_record).
FINDING_KEYS = frozenset({
    "path", "rule", "name", "severity", "message", "line", "column", "end_line", "end_column",
    "start_offset", "end_offset", "sentence", "registry_id", "evidence", "suggestion", "fix",
})
MINI_IDS = (
    "ketamine.addiction.not-addictive",
    "ketamine.efficacy.cancer-pain",
    "ketamine.efficacy.crps",
    "ketamine.efficacy.neuropathic",
    "ketamine.mechanism.nerve-regeneration",
    "ketamine.regulatory.fda-depression",
    "ketamine.safety.extremely-safe",
)
# A finding message quotes the words it is about: Absolute safety claim "extremely safe": ...
QUOTED = re.compile(r'"([^"]+)"')


# --------------------------------------------------------------------------------------------
# Helpers


def _runner() -> CliRunner:
    # click < 8.2 mixes stderr into stdout unless told not to; 8.2 removed the parameter and
    # always keeps result.stdout and result.stderr apart.
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    return CliRunner()


def invoke(*args: str | Path, stdin: bytes | None = None,
           env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``claimlint ARGS``; unexpected exceptions propagate with their traceback."""
    return _runner().invoke(main, [str(a) for a in args], input=stdin, env=env,
                            catch_exceptions=False)


def check(*args: str | Path, stdin: bytes | None = None,
          env: Mapping[str, str | None] | None = None) -> Result:
    return invoke("check", *args, *MINI, stdin=stdin, env=env)


def check_json(*args: str | Path, stdin: bytes | None = None) -> tuple[Result, dict[str, Any]]:
    result = check("--format", "json", *args, stdin=stdin)
    report: dict[str, Any] = json.loads(result.stdout)
    return result, report


def findings(report: Mapping[str, Any], path: str | Path | None = None) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if path is None or f["path"] == str(path)]


def rules_of(report: Mapping[str, Any]) -> set[str]:
    return {f["rule"] for f in report["findings"]}


def copy_posts(target: Path, *names: str) -> Path:
    """Copy fixture posts (all of them if no names) into ``target``; returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(POSTS.iterdir()):
        if not names or source.name in names:
            shutil.copyfile(source, target / source.name)
    return target


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, counting code points."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """``folder`` and everything under it (hidden too) with size and mtime.

    A folder's mtime changes when an entry is created or removed in it, so even a temporary file
    that was cleaned up again shows.
    """
    out = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.stat()
        out[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
    return out


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    return copy_posts(tmp_path / "posts")


@pytest.fixture(scope="module")
def tree_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One JSON run over the overclaiming and the registry-matched posts, shared by tests."""
    folder = copy_posts(tmp_path_factory.mktemp("tree") / "posts", "overclaim.md", "ketamine.md")
    result, report = check_json(folder)
    assert result.exit_code == 1, result.output
    return folder, report


# --------------------------------------------------------------------------------------------
# Exit codes


def test_clean_copy_exits_0(posts: Path) -> None:
    result = check(posts / "fair.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checked (1 file): no problems found.\n"


def test_overclaim_exits_1_and_is_reported(posts: Path) -> None:
    result = check(posts / "overclaim.md")
    assert result.exit_code == 1, result.output
    assert f"{posts / 'overclaim.md'}:3:26: CL101 " in result.stdout
    assert "Found 2 problems (2 errors, 0 warnings, 0 info) in 1 file." in result.stdout


@pytest.mark.parametrize(("fail_on", "expected"), [(None, 1), ("error", 0)])
def test_fail_on_threshold(posts: Path, fail_on: str | None, expected: int) -> None:
    """mechanism.md holds only a warning: it fails at the default threshold, not at error."""
    extra = ("--fail-on", fail_on) if fail_on else ()
    result = check(posts / "mechanism.md", *extra)
    assert result.exit_code == expected, result.output
    assert "CL104" in result.stdout  # reported either way


def test_config_error_exits_2(posts: Path) -> None:
    config = posts / ".claimlint.toml"
    config.write_text('select = ["ALL"]\nfail_on = "error"\n', encoding="utf-8")
    result = check(posts / "fair.md")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"{config}:2: unknown key 'fail_on'" in result.stderr
    assert "did you mean 'fail-on'?" in result.stderr
    assert "(at /fail_on)" in result.stderr


def test_missing_path_exits_2_and_the_rest_is_linted(posts: Path) -> None:
    missing = posts / "no-such-post.md"
    result, report = check_json(missing, posts / "overclaim.md")
    assert result.exit_code == 2, result.output
    [error] = findings(report, missing)
    assert (error["rule"], error["severity"]) == ("CL900", "error")
    assert "no such file" in error["message"]
    assert {f["rule"] for f in findings(report, posts / "overclaim.md")} == {"CL101"}
    assert report["summary"]["failed_paths"] == [str(missing)]


def test_undecodable_file_exits_2_and_the_rest_is_linted(tmp_path: Path) -> None:
    folder = copy_posts(tmp_path / "posts", "overclaim.md", "fair.md")
    broken = folder / "broken.md"
    broken.write_bytes(b"# Drips\n\nNAD+ is \xff\xfe safe.\n")
    result, report = check_json(folder)
    assert result.exit_code == 2, result.output
    [error] = findings(report, broken)
    assert error["rule"] == "CL900"
    assert "UTF-8" in error["message"]
    assert (error["line"], error["column"]) == (3, 9)
    assert {f["rule"] for f in findings(report, folder / "overclaim.md")} == {"CL101"}
    assert report["summary"]["files"] == 3
    assert report["summary"]["failed_paths"] == [str(broken)]


def _break_registry(folder: Path, old: str, new: str) -> Path:
    """A copy of the mini registry with one edit to entries.yaml; returns that file."""
    shutil.copytree(MINI_REGISTRY, folder)
    entries = folder / "entries.yaml"
    text = entries.read_text(encoding="utf-8")
    assert old in text
    entries.write_text(text.replace(old, new, 1), encoding="utf-8")
    return entries


def test_invalid_registry_folder_exits_2(posts: Path, tmp_path: Path) -> None:
    entries = _break_registry(tmp_path / "registry", "references: [test-ref]",
                              "references: [no-such-ref]")
    result = invoke("check", posts / "fair.md", "--registry", entries.parent)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"{entries}:13: unknown reference id 'no-such-ref'" in result.stderr
    assert "(at /entries/0/evidence/references/0)" in result.stderr


def test_registry_folder_that_does_not_exist_exits_2(posts: Path, tmp_path: Path) -> None:
    result = invoke("check", posts / "fair.md", "--registry", tmp_path / "nowhere")
    assert result.exit_code == 2, result.output
    assert "is not a directory" in result.stderr


# --------------------------------------------------------------------------------------------
# Output formats


def test_json_has_the_documented_keys(tree_report: tuple[Path, dict[str, Any]]) -> None:
    folder, report = tree_report
    assert report["version"] == 1
    assert report["tool"]["name"] == "claimlint"
    assert report["summary"]["files"] == 2
    assert report["summary"]["failed_paths"] == []
    assert report["findings"]
    for finding in report["findings"]:
        assert finding.keys() >= FINDING_KEYS, FINDING_KEYS - finding.keys()
        assert finding["severity"] in ("error", "warning", "info")
        assert all(isinstance(finding[k], int) for k in
                   ("line", "column", "end_line", "end_column", "start_offset", "end_offset"))
    summary = report["summary"]
    counted = [f["severity"] for f in report["findings"]]
    assert (summary["errors"], summary["warnings"], summary["info"]) == (
        counted.count("error"), counted.count("warning"), counted.count("info"))

    # A claim the registry covers carries the entry, its evidence and the fair wording.
    matched = {f["registry_id"]: f for f in findings(report, folder / "ketamine.md")}
    assert set(matched) == {"ketamine.safety.extremely-safe", "ketamine.addiction.not-addictive",
                            "ketamine.efficacy.crps"}
    safe = matched["ketamine.safety.extremely-safe"]
    assert (safe["rule"], safe["name"]) == ("CL001", "contradicted-claim")
    assert safe["evidence"]["grade"] == "moderate"
    assert [r["id"] for r in safe["evidence"]["references"]] == ["test-ref"]
    assert safe["suggestion"] == "Ketamine is generally well tolerated under close monitoring."
    assert safe["sentence"] == "Ketamine infusions are extremely safe & not addictive."
    # A wording rule has no registry entry behind it.
    assert all(f["registry_id"] is None and f["evidence"] is None
               for f in findings(report, folder / "overclaim.md"))


def test_offsets_point_into_the_source_file(tree_report: tuple[Path, dict[str, Any]]) -> None:
    """Offsets and positions index the decoded file, markup and entities included."""
    folder, report = tree_report
    checked = 0
    for name in ("overclaim.md", "ketamine.md"):
        text = (folder / name).read_bytes().decode("utf-8")
        for f in findings(report, folder / name):
            assert position(text, f["start_offset"]) == (f["line"], f["column"]), f
            assert position(text, f["end_offset"]) == (f["end_line"], f["end_column"]), f
            assert 0 <= f["start_offset"] < f["end_offset"] <= len(text), f
            checked += 1
    assert checked == 5

    # The claim words inside **emphasis** and *emphasis*, after "&amp;", are the quoted ones.
    text = (folder / "overclaim.md").read_text(encoding="utf-8")
    quoted = {}
    for f in findings(report, folder / "overclaim.md"):
        words = QUOTED.search(f["message"])
        assert words, f["message"]
        quoted[words.group(1)] = text[f["start_offset"]:f["end_offset"]]
    assert quoted == {"extremely safe": "extremely safe", "no side effects": "no side effects"}
    line = text.splitlines()[2]
    assert line.startswith(
        "Our NAD+ infusions are **extremely safe** &amp; gentle. The infusions have")

    # Registry findings too: the spans are the claim words, not the markup around them.
    text = (folder / "ketamine.md").read_text(encoding="utf-8")
    spans = {f["registry_id"]: text[f["start_offset"]:f["end_offset"]]
             for f in findings(report, folder / "ketamine.md")}
    assert spans["ketamine.safety.extremely-safe"] == "extremely safe"
    assert spans["ketamine.addiction.not-addictive"] == "not addictive"


def test_sarif_validates_against_the_official_schema(
    sarif_validator: Draft7Validator, posts: Path
) -> None:
    result = check(posts / "overclaim.md", posts / "ketamine.md", "--format", "sarif")
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []
    [run] = log["runs"]
    assert {r["ruleId"] for r in run["results"]} == {"CL001", "CL003", "CL101"}
    assert {d["id"] for d in run["tool"]["driver"]["rules"]} >= set(RULES) - {"CL900"}
    # Not vacuous: the validator rejects a log with a broken result.
    broken = json.loads(result.stdout)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(sarif_validator.iter_errors(broken))


_ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,"
                         r"endLine=\d+,endColumn=\d+,title=[^:]+::.+$")


def test_github_annotations(posts: Path) -> None:
    result = check(posts / "mixed.md", "--format", "github")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(_ANNOTATION.match(line) for line in lines), lines
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::warning"]
    assert "title=CL101 (absolute-safety)::" in lines[0]


@pytest.mark.parametrize(("github_actions", "github_format"), [("true", True), (None, False)])
def test_auto_format(posts: Path, github_actions: str | None, github_format: bool) -> None:
    result = check(posts / "mechanism.md", "--format", "auto",
                   env={"GITHUB_ACTIONS": github_actions})
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    if github_format:
        assert first.startswith("::warning file="), first
    else:
        assert first.startswith(f"{posts / 'mechanism.md'}:3:14: CL104 "), first


# --------------------------------------------------------------------------------------------
# Input and output


def test_stdin_is_linted_under_the_given_name(
    tree_report: tuple[Path, dict[str, Any]]
) -> None:
    folder, report = tree_report
    data = (folder / "overclaim.md").read_bytes()
    result, from_stdin = check_json("-", "--stdin-filename", "post.md", stdin=data)
    assert result.exit_code == 1, result.output
    assert from_stdin["summary"]["files"] == 1
    assert {f["path"] for f in from_stdin["findings"]} == {"post.md"}
    # Read as Markdown (from the name), so the findings match those of the file itself.
    from_file = [{**f, "path": "post.md"} for f in findings(report, folder / "overclaim.md")]
    assert from_stdin["findings"] == from_file


def test_output_file_is_written_atomically(posts: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.json"
    written = check(posts / "mixed.md", "--format", "json", "--output", target)
    assert written.exit_code == 1, written.output  # the exit status still follows findings
    assert written.stdout == ""
    printed = check(posts / "mixed.md", "--format", "json")
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in out_dir.iterdir()] == ["report.json"]  # no temporary files left


def test_output_into_a_missing_folder_is_an_error(posts: Path, tmp_path: Path) -> None:
    result = check(posts / "fair.md", "--output", tmp_path / "no-such-dir" / "report.txt")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("claimlint: error: ")
    assert not (tmp_path / "no-such-dir").exists()


def test_output_file_mode_follows_the_umask(posts: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    old = os.umask(0o022)
    try:
        result = check(posts / "fair.md", "--output", target)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_check_writes_nothing_into_the_linted_tree(tmp_path: Path) -> None:
    folder = copy_posts(tmp_path / "site")
    (folder / "nested").mkdir()
    shutil.copyfile(POSTS / "mixed.md", folder / "nested" / "page.md")
    before = snapshot(tmp_path)
    result = check(folder, "--format", "sarif")
    assert result.exit_code == 1, result.output
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------------------------
# Rule selection, configuration and suppressions


@pytest.mark.parametrize(("options", "expected"), [
    ((), {"CL101", "CL104", "CL105"}),
    (("--select", "CL104"), {"CL104"}),
    # With CL101 off, the sentence it flagged falls to the classifier (CL110) and to CL201
    # (info), so those go too.
    (("--ignore", "CL101,unsourced-statistic", "--ignore", "CL2,likely-overclaim"), {"CL104"}),
    (("--select", "CL104", "--extend-select", "CL105"), {"CL104", "CL105"}),
])
def test_select_ignore_extend_select(posts: Path, options: tuple[str, ...],
                                     expected: set[str]) -> None:
    result, report = check_json(posts / "mixed.md", *options)
    assert result.exit_code == 1, result.output
    assert rules_of(report) == expected


def test_config_per_file_ignores_and_severity(tmp_path: Path) -> None:
    copy_posts(tmp_path / "posts", "mixed.md")
    copy_posts(tmp_path / "drafts", "mixed.md")
    (tmp_path / ".claimlint.toml").write_text(
        'fail-on = "error"\n'
        # the rules' configuration alone: CL110 would take the ignored CL101's place
        "classifier = false\n"
        "\n"
        "[per-file-ignores]\n"
        '"drafts/*.md" = ["CL101"]\n'
        "\n"
        "[severity]\n"
        'CL104 = "error"\n'
        'unsourced-statistic = "info"\n',
        encoding="utf-8",
    )
    result, report = check_json(tmp_path)
    assert result.exit_code == 1, result.output
    severities = {(Path(f["path"]).parent.name, f["rule"]): f["severity"]
                  for f in report["findings"] if f["rule"] != "CL201"}
    assert severities == {
        ("posts", "CL101"): "error",
        ("posts", "CL104"): "error",
        ("posts", "CL105"): "info",
        ("drafts", "CL104"): "error",
        ("drafts", "CL105"): "info",
    }


def test_suppression_comments(posts: Path) -> None:
    result, report = check_json(posts / "suppressions.md")
    assert result.exit_code == 1, result.output
    got = sorted((f["line"], f["rule"]) for f in report["findings"])
    # Line 4 is suppressed; the same sentence on line 6 is not; the comment on line 8 is unused.
    assert got == [(6, "CL101"), (8, "CL901")]
    [unused] = [f for f in report["findings"] if f["rule"] == "CL901"]
    assert unused["severity"] == "warning"
    assert "CL103" in unused["message"]


# --------------------------------------------------------------------------------------------
# rules


def test_rules_lists_every_code() -> None:
    result = invoke("rules")
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert listed == list(RULES)
    assert "absolute-safety" in result.stdout


@pytest.mark.parametrize("selector", ["CL101", "cl101", "absolute-safety"])
def test_rules_prints_the_documentation(selector: str) -> None:
    result = invoke("rules", selector)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("CL101 absolute-safety (error)\n")
    for title in DOC_SECTIONS:
        assert re.search(rf"^{re.escape(title)}\n-+\n", result.stdout, flags=re.M), title


def test_rules_json() -> None:
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["code"] for r in records] == list(RULES)
    assert all(r["doc"] and r["summary"] and r["severity"] for r in records)


def test_rules_unknown_code_exits_2() -> None:
    result = invoke("rules", "NOPE")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "unknown rule 'NOPE'" in result.stderr


# --------------------------------------------------------------------------------------------
# registry


def test_registry_validate_bundled() -> None:
    result = invoke("registry", "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_registry_validate_mini() -> None:
    result = invoke("registry", "validate", MINI_REGISTRY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {len(MINI_IDS)} entries, 1 references, ")


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if needle in line]
    return hits[occurrence - 1]


# (old text in entries.yaml, new text, expected message, pointer, (needle, occurrence) of the
# line the error must name)
BREAKAGES: dict[str, tuple[str, str, str, str, tuple[str, int]]] = {
    "duplicate id": (
        "id: ketamine.efficacy.neuropathic", "id: ketamine.efficacy.crps",
        "duplicate entry id 'ketamine.efficacy.crps'", "/entries/1/id",
        ("id: ketamine.efficacy.crps", 2),
    ),
    "unknown reference": (
        "summary: No human evidence., references: [test-ref]",
        "summary: No human evidence., references: [test-ref, no-such-ref]",
        "unknown reference id 'no-such-ref'", "/entries/3/evidence/references/1",
        ("no-such-ref", 1),
    ),
    "invalid token pattern": (
        "      lemmas: [regenerate, regeneration of damaged nerve]",
        "      patterns:\n        - [{LOWER: regenerate, OP: '%'}]",
        "invalid token pattern", "/entries/3/match/patterns/0",
        ("OP: '%'", 1),
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_registry_validate_broken(tmp_path: Path, breakage: str) -> None:
    old, new, message, pointer, (needle, occurrence) = BREAKAGES[breakage]
    entries = _break_registry(tmp_path / "registry", old, new)
    line = _line_of(entries, needle, occurrence)
    result = invoke("registry", "validate", entries.parent)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert re.search(rf"{re.escape(f'{entries}:{line}')}(:\d+)?: ", result.stderr), result.stderr
    assert message in result.stderr
    assert f"(at {pointer})" in result.stderr


def test_registry_validate_unknown_key(tmp_path: Path) -> None:
    entries = _break_registry(tmp_path / "registry", "    topic: mechanism\n",
                              "    topic: mechanism\n    colour: blue\n")
    result = invoke("registry", "validate", entries.parent)
    assert result.exit_code == 2, result.output
    assert "colour" in result.stderr
    # The schema reports an unknown key at the object that holds it; either place is exact
    # enough as long as the line and the pointer agree.
    at_entry = (_line_of(entries, "id: ketamine.mechanism.nerve-regeneration"), "/entries/3")
    at_key = (_line_of(entries, "colour: blue"), "/entries/3/colour")
    assert any(
        re.search(rf"{re.escape(f'{entries}:{line}')}(:\d+)?: .*\(at {re.escape(pointer)}\)",
                  result.stderr)
        for line, pointer in (at_entry, at_key)
    ), result.stderr


def test_registry_list() -> None:
    result = invoke("registry", "list", "--registry", MINI_REGISTRY)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert set(MINI_IDS) <= set(rows)
    assert rows["ketamine.efficacy.crps"][:3] == ["qualified", "qualified", "moderate"]

    as_json = invoke("registry", "list", "--registry", MINI_REGISTRY, "--format", "json")
    records = {r["id"]: r for r in json.loads(as_json.stdout)}
    assert records["ketamine.safety.extremely-safe"]["verdict"] == "contradicted"


def test_registry_show_one() -> None:
    result = invoke("registry", "show", "ketamine.efficacy.crps", "--registry", MINI_REGISTRY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ketamine.efficacy.crps")
    for part in ("Ketamine relieves CRPS pain.", "qualified", "Test summary for CRPS.",
                 "Ketamine infusions may ease CRPS pain for some patients for several weeks.",
                 "A made-up reference used only by claimlint's unit tests."):
        assert part in result.stdout, part


def test_registry_show_unknown_exits_2() -> None:
    result = invoke("registry", "show", "no.such.entry")
    assert result.exit_code == 2, result.output
    assert "no registry entry 'no.such.entry'" in result.stderr


def test_registry_show_all_markdown() -> None:
    result = invoke("registry", "show", "--all", "--format", "markdown",
                    "--registry", MINI_REGISTRY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")
    headings = re.findall(r"^## (\S+)$", result.stdout, flags=re.M)
    assert set(MINI_IDS) <= set(headings)
    assert headings == sorted(headings)


# --------------------------------------------------------------------------------------------
# extract


@pytest.fixture(scope="module")
def ketamine_post(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_posts(tmp_path_factory.mktemp("extract"), "ketamine.md") / "ketamine.md"


def test_extract_text(ketamine_post: Path) -> None:
    result = invoke("extract", ketamine_post, *MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # The heading's condition (CRPS) may be carried to every claim under it.
    assert re.search(rf"^{re.escape(str(ketamine_post))}:3:26: safety/REGISTRY \[boosted\] "
                     r"about ketamine( \([^)]*\))? -> ketamine\.safety\.extremely-safe "
                     r"\(contradicted, max none\)$", out, flags=re.M), out
    assert "    Ketamine infusions are extremely safe & not addictive.\n" in out
    assert "cues: booster:extremely" in out
    assert re.search(r":3:49: addiction/ADDICTION \[asserted negated\] about ketamine.* -> "
                     r"ketamine\.addiction\.not-addictive ", out), out
    assert "cues: negation:not" in out
    assert (f"{ketamine_post}:5:21: efficacy/EFFICACY [boosted] about ketamine "
            "(crps, neuropathic-pain) -> ketamine.efficacy.crps (qualified, max qualified)") in out


def test_extract_json(ketamine_post: Path) -> None:
    result = invoke("extract", ketamine_post, *MINI, "--format", "json")
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["claims"]
    got = [(c["topic"], c["certainty"], [(q["category"], q["text"]) for q in c["cues"]],
            c["registry_id"]) for c in claims]
    assert got == [
        ("safety", "boosted", [("booster", "extremely")], "ketamine.safety.extremely-safe"),
        ("addiction", "asserted", [("negation", "not")], "ketamine.addiction.not-addictive"),
        ("efficacy", "boosted", [("booster", "completely")], "ketamine.efficacy.crps"),
    ]
    assert all(c["path"] == str(ketamine_post) for c in claims)
    assert [c["negated"] for c in claims] == [False, True, False]

"""The registry loader: validation errors name file, line and JSON pointer; no partial loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimlint.errors import RegistryError
from claimlint.registry import Certainty, load_registry

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_registry"


@pytest.fixture
def reg_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reg"
    shutil.copytree(MINI, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_loads_and_converts(reg_dir: Path) -> None:
    reg = load_registry([reg_dir])
    entry = reg.get("ketamine.efficacy.crps")
    assert entry.max_certainty == Certainty.QUALIFIED
    assert entry.conditions == ("crps",)
    assert entry.evidence.references[0].id == "test-ref"
    assert entry.source.endswith("entries.yaml:2")
    assert reg.expand_conditions(("crps",)) == {"crps", "neuropathic-pain"}
    assert len(reg.digest) == 64


def test_unknown_key_names_file_line_and_pointer(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "    topic: efficacy\n    conditions: [crps]",
             "    topic: efficacy\n    colour: red\n    conditions: [crps]")
    with pytest.raises(RegistryError) as err:
        load_registry([reg_dir])
    e = err.value
    assert e.path and e.path.endswith("entries.yaml")
    assert e.pointer == "/entries/0/colour"
    assert e.line == 5
    assert "colour" in e.message


def test_wrong_type_points_at_value(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "max_certainty: qualified", "max_certainty: 3")
    with pytest.raises(RegistryError) as err:
        load_registry([reg_dir])
    assert err.value.pointer == "/entries/0/max_certainty"
    assert err.value.line == 8
    assert "entries.yaml:8" in str(err.value)


def test_duplicate_id(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "id: ketamine.efficacy.neuropathic",
             "id: ketamine.efficacy.crps")
    duplicate = r"duplicate entry id 'ketamine\.efficacy\.crps'"
    with pytest.raises(RegistryError, match=duplicate) as err:
        load_registry([reg_dir])
    assert err.value.pointer == "/entries/1/id"


def test_unknown_reference(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "references: [test-ref]}", "references: [nope-2020]}")
    with pytest.raises(RegistryError, match="unknown reference id 'nope-2020'") as err:
        load_registry([reg_dir])
    assert err.value.pointer == "/entries/0/evidence/references/0"


def test_unknown_condition_and_specializes(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "conditions: [crps]", "conditions: [gout]")
    with pytest.raises(RegistryError, match="unknown condition id 'gout'"):
        load_registry([reg_dir])


def test_invalid_token_pattern(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "lemmas: [regenerate, regeneration of damaged nerve]",
             'patterns: [[{"LEMMA": {"REGEX": 5}}]]')
    with pytest.raises(RegistryError, match="invalid token pattern") as err:
        load_registry([reg_dir])
    assert err.value.pointer == "/entries/3/match/patterns/0"


def test_pattern_matching_everything_is_rejected(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "lemmas: [regenerate, regeneration of damaged nerve]",
             'patterns: [[{"OP": "*"}]]')
    with pytest.raises(RegistryError, match="would match anything"):
        load_registry([reg_dir])


def test_yaml_syntax_error_has_line(reg_dir: Path) -> None:
    (reg_dir / "broken.yaml").write_text("entries:\n  - id: [unclosed\n")
    with pytest.raises(RegistryError, match="invalid YAML") as err:
        load_registry([reg_dir])
    assert err.value.line is not None and err.value.path.endswith("broken.yaml")


def test_alias_bomb_is_refused(reg_dir: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        refs = ",".join([f"*{prev}"] * 9)
        lines.append(f"{cur}: &{cur} [{refs}]")
    (reg_dir / "bomb.yaml").write_text("\n".join(lines) + "\n")
    with pytest.raises(RegistryError, match="too large or too deeply aliased"):
        load_registry([reg_dir])


def test_duplicate_yaml_key(reg_dir: Path) -> None:
    _replace(reg_dir / "entries.yaml", "    topic: efficacy\n    conditions: [crps]",
             "    topic: efficacy\n    topic: safety\n    conditions: [crps]")
    with pytest.raises(RegistryError, match="duplicate key 'topic'"):
        load_registry([reg_dir])


def test_user_layer_overrides_by_id_and_extends(reg_dir: Path, tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "local.yaml").write_text(
        (reg_dir / "entries.yaml").read_text().split("  - id: ketamine.efficacy.neuropathic")[0]
        .replace("verdict: qualified", "verdict: unsupported", 1)
    )
    reg = load_registry([reg_dir, user])
    assert reg.get("ketamine.efficacy.crps").verdict == "unsupported"
    assert "ketamine.mechanism.nerve-regeneration" in reg.entries


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="does not exist"):
        load_registry([tmp_path / "nowhere"])


def test_specificity_and_specializes(mini_registry: object) -> None:
    from claimlint.registry import Registry

    assert isinstance(mini_registry, Registry)
    regen = mini_registry.get("ketamine.mechanism.nerve-regeneration")
    crps = mini_registry.get("ketamine.efficacy.crps")
    assert regen.specificity == 2 and crps.specificity == 1


# -- fix data (docs/registry-format.md, "Fixes") ----------------------------------------------

_CRPS_QUALIFIER = ("        any_of: [short-term, several weeks, up to 12 weeks]\n"
                   "        within: sentence\n")
_CRPS_SUGGESTION = ("    suggestion: Ketamine infusions may ease CRPS pain for some patients for "
                    "several weeks.\n")


def _with_fix_data(reg_dir: Path, qualifier_fix: str, fixes: str) -> None:
    _replace(reg_dir / "entries.yaml", _CRPS_QUALIFIER, _CRPS_QUALIFIER + qualifier_fix)
    _replace(reg_dir / "entries.yaml", _CRPS_SUGGESTION, _CRPS_SUGGESTION + fixes)


def test_fix_data_loads(reg_dir: Path) -> None:
    _with_fix_data(
        reg_dir, '        fix: {insert: "for several weeks", position: sentence-end}\n',
        "    fixes:\n"
        "      - {replace: completely relieve, with: may ease, safe: true}\n"
        "      - {pattern: '(?P<verb>relieves?) CRPS pain for good', with: '\\g<verb> CRPS pain',"
        " safe: false}\n")
    entry = load_registry([reg_dir]).get("ketamine.efficacy.crps")
    fix = entry.qualifiers[0].fix
    assert fix is not None and (fix.insert, fix.position) == ("for several weeks", "sentence-end")
    phrase, pattern = entry.fixes
    assert phrase.safe and not pattern.safe
    assert phrase.pattern.search("It Completely  Relieve pain") is not None  # case, spacing
    m = pattern.pattern.search("Ketamine relieves CRPS pain for good.")
    assert m is not None and m.expand(pattern.replacement) == "relieves CRPS pain"


@pytest.mark.parametrize(("qualifier_fix", "fixes", "pointer", "message"), [
    ('        fix: {insert: "for a while", position: sentence-end}\n', "",
     "/entries/0/qualifiers/0/fix/insert", "none of the qualifier's any_of"),
    ('        fix: {insert: "several weeks", position: somewhere}\n', "",
     "/entries/0/qualifiers/0/fix/position", "schema violation"),
    ('        fix: {insert: "several\\nweeks", position: sentence-end}\n', "",
     "/entries/0/qualifiers/0/fix/insert", "schema violation"),
    ('        fix: {insert: "several weeks\\n", position: sentence-end}\n', "",
     "/entries/0/qualifiers/0/fix/insert", "line break"),
    ("", '    fixes:\n      - {replace: relieves, with: "eases\\n", safe: true}\n',
     "/entries/0/fixes/0/with", "line break"),
    ("", "    fixes:\n      - {pattern: 'relieve(', with: may ease, safe: true}\n",
     "/entries/0/fixes/0/pattern", "invalid regular expression"),
    ("", "    fixes:\n      - {pattern: 'x*', with: may ease, safe: true}\n",
     "/entries/0/fixes/0/pattern", "matches the empty string"),
    ("", "    fixes:\n      - {pattern: 'relieves', with: '\\g<what> eases', safe: true}\n",
     "/entries/0/fixes/0/with", "refers to group 'what'"),
    ("", "    fixes:\n      - {replace: relieves, pattern: relieves, with: eases, safe: true}\n",
     "/entries/0/fixes/0", "schema violation"),
    ("", "    fixes:\n      - {replace: relieves, with: eases}\n",
     "/entries/0/fixes/0", "schema violation"),
])
def test_bad_fix_data_is_refused(reg_dir: Path, qualifier_fix: str, fixes: str, pointer: str,
                                 message: str) -> None:
    _with_fix_data(reg_dir, qualifier_fix, fixes)
    with pytest.raises(RegistryError, match=message) as err:
        load_registry([reg_dir])
    assert err.value.pointer == pointer
    assert err.value.line is not None

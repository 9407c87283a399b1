from __future__ import annotations

import pytest

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

from .sample import make_result, make_rules


@pytest.fixture
def result() -> LintResult:
    return make_result()


@pytest.fixture
def rules() -> dict[str, RuleMeta]:
    return make_rules()

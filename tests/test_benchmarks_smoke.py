"""The benchmark generator plants one violation per code, and flake8 finds exactly those."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import flake8_findings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import generate  # noqa: E402


def test_generated_tree_has_exactly_the_planted_violations(tmp_path: Path) -> None:
    params = generate.Params(services=2, packages=1, modules_per_unit=5, functions=0, seed=7)
    manifest = generate.generate(tmp_path / "tree", params)

    planted = {(item["path"], item["line"], item["code"]) for item in manifest["planted"]}
    assert sorted(code for _, _, code in planted) == list(generate.PLANTED_CODES)
    assert flake8_findings(tmp_path / "tree") == planted


def test_generation_is_deterministic(tmp_path: Path) -> None:
    params = generate.Params(services=2, packages=1, modules_per_unit=4, functions=0, seed=3)
    first = generate.generate(tmp_path / "a", params)
    second = generate.generate(tmp_path / "b", params)
    assert first == second
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.py"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.py"))
    for relative in files:
        assert (tmp_path / "a" / relative).read_text() == (tmp_path / "b" / relative).read_text()

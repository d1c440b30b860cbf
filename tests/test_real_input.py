"""Both front ends on a monorepo made of real third-party code (see realinput.py).

The real code crosses unit boundaries only where the rules allow it (flask imports
werkzeug, requests imports urllib3, typer imports click), so every finding must come
from an injected file. Two smaller trees hold real code that once split the front ends:
packages with their own packages/ or services/ subfolder (urllib3 1.26, a Google Cloud
client), and a folder without __init__.py inside a regular package (flask 3.0's
flask/sansio). The wheels are downloaded from PyPI on the first run. Without a
network connection these tests fail with pip's message instead of being skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import contract_findings, flake8_findings
from realinput import (
    DISTRIBUTIONS,
    INJECTIONS,
    NAMESPACE_SUBPACKAGE_DISTRIBUTIONS,
    NAMESPACE_SUBPACKAGE_INJECTIONS,
    NESTED_AREA_DISTRIBUTIONS,
    NESTED_AREA_INJECTIONS,
    Distribution,
    Finding,
    Injection,
    RealInputUnavailable,
    build_monorepo,
    expected_findings,
)
from service_boundaries.workspace import Kind, Workspace

pytestmark = pytest.mark.slow

EXPECTED = expected_findings(INJECTIONS)
NESTED_AREA_EXPECTED = expected_findings(NESTED_AREA_INJECTIONS)
NAMESPACE_SUBPACKAGE_EXPECTED = expected_findings(NAMESPACE_SUBPACKAGE_INJECTIONS)


def build(
    factory: pytest.TempPathFactory,
    name: str,
    distributions: tuple[Distribution, ...],
    injections: tuple[Injection, ...],
) -> Path:
    try:
        return build_monorepo(factory.mktemp(name), distributions, injections)
    except RealInputUnavailable as error:
        pytest.fail(str(error), pytrace=False)


# Module scope: unpacking and running flake8 over some 250 files takes most of the time,
# so each tree is built once and each front end runs once on it.
@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory, "realinput", DISTRIBUTIONS, INJECTIONS)


@pytest.fixture(scope="module")
def flake8_result(monorepo: Path) -> set[Finding]:
    return flake8_findings(monorepo)


@pytest.fixture(scope="module")
def contract_result(monorepo: Path) -> set[Finding]:
    return contract_findings(monorepo)


def test_tree_has_every_unit(monorepo: Path) -> None:
    # Guards the other tests against passing on a tree that unpacked to nearly nothing.
    area_kinds = {"src": Kind.APP, "packages": Kind.PACKAGE, "services": Kind.SERVICE}
    expected_units = set()
    for distribution in DISTRIBUTIONS:
        area, _, rest = distribution.destination.partition("/")
        expected_units.add((area_kinds[area], rest.partition("/")[0] or "app"))
    workspace = Workspace.discover(monorepo)
    assert {(unit.kind, unit.name) for unit in workspace.units} == expected_units
    assert workspace.problems == []
    assert len(list(monorepo.rglob("*.py"))) > 200
    # The namespace package is shared, not claimed by one unit.
    assert [unit.name for unit in workspace.owners["jaraco"]] == [
        "jaraco-context",
        "jaraco-functools",
        "jaraco-text",
    ]


def test_flake8_reports_only_injected_violations(flake8_result: set[Finding]) -> None:
    assert flake8_result == EXPECTED


def test_contracts_report_only_injected_violations(
    contract_result: set[Finding],
) -> None:
    assert contract_result == EXPECTED


def test_front_ends_agree(flake8_result: set[Finding], contract_result: set[Finding]) -> None:
    assert flake8_result == contract_result


# urllib3 1.26 and a Google Cloud client each contain a folder named packages/ or
# services/ in their own code. The contracts get the root, while flake8 looks for it per file.
@pytest.fixture(scope="module")
def nested_area_monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(
        tmp_path_factory, "nested-area", NESTED_AREA_DISTRIBUTIONS, NESTED_AREA_INJECTIONS
    )


def test_contracts_ignore_nested_areas(nested_area_monorepo: Path) -> None:
    assert contract_findings(nested_area_monorepo) == NESTED_AREA_EXPECTED


def test_flake8_root_option_ignores_nested_areas(nested_area_monorepo: Path) -> None:
    findings = flake8_findings(nested_area_monorepo, ["--boundaries-root=."])
    assert findings == NESTED_AREA_EXPECTED


def test_flake8_root_discovery_skips_nested_areas(nested_area_monorepo: Path) -> None:
    assert flake8_findings(nested_area_monorepo) == NESTED_AREA_EXPECTED


@pytest.fixture(scope="module")
def namespace_subpackage_monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(
        tmp_path_factory,
        "namespace-subpackage",
        NAMESPACE_SUBPACKAGE_DISTRIBUTIONS,
        NAMESPACE_SUBPACKAGE_INJECTIONS,
    )


def test_flake8_checks_namespace_subpackage(namespace_subpackage_monorepo: Path) -> None:
    assert flake8_findings(namespace_subpackage_monorepo) == NAMESPACE_SUBPACKAGE_EXPECTED


def test_contracts_check_namespace_subpackage(namespace_subpackage_monorepo: Path) -> None:
    assert contract_findings(namespace_subpackage_monorepo) == NAMESPACE_SUBPACKAGE_EXPECTED

"""The flake8 plugin with formatter plugins from PyPI: flake8-json and flake8-sarif.

service-boundaries writes no flake8 formatter of its own; these tests show that the
BND findings come through the formatters that docs/ci.md recommends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import flake8_findings
from test_cli import copy_example
from test_cli_check import sarif_schema


def run_flake8(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select=BND", *args, "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("formatters") / "monorepo")


def test_flake8_json_reports_bnd_codes(example: Path) -> None:
    pytest.importorskip("flake8_json_reporter", reason="flake8-json is not installed")
    completed = run_flake8(example, "--format=json")
    assert completed.returncode == 1, completed.stderr
    document = json.loads(completed.stdout)
    found = {
        (os.path.normpath(item["filename"]), item["line_number"], item["code"])
        for items in document.values()
        for item in items
    }
    assert found == flake8_findings(example)


def test_flake8_sarif_validates(example: Path) -> None:
    pytest.importorskip("flake8_sarif_reporter", reason="flake8-sarif is not installed")
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    completed = run_flake8(example, "--format=sarif")
    assert completed.returncode == 1, completed.stderr
    document = json.loads(completed.stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    results = document["runs"][0]["results"]
    found = {
        (
            os.path.normpath(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            ),
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["ruleId"],
        )
        for result in results
    }
    assert found == flake8_findings(example)

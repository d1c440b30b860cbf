"""``service-boundaries services`` on a copy of the example monorepo, clean and broken.

The broken copy breaks each service check once (see ``break_example`` in
test_services.py), so each format must carry exactly one finding per code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service_boundaries.services import SERVICE_CODES
from test_cli import copy_example, run
from test_services import break_example


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example monorepo, made the current folder."""
    root = copy_example(tmp_path / "monorepo")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def broken(example: Path) -> Path:
    """The example copy with each service check broken once."""
    break_example(example)
    return example


def test_example_passes(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "services")
    assert status == 0
    assert out == ""
    assert err == ""


def test_text_one_line_per_break(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "services")
    assert status == 1
    codes = sorted(line.split(": ", 1)[1].split()[0] for line in out.splitlines())
    assert codes == list(SERVICE_CODES)
    assert "services/billing/Dockerfile:4:1: BND302 services/billing/Dockerfile of " in out
    assert "services/notifier:0:1: BND301 service 'notifier' has no Dockerfile" in out
    assert err == "service-boundaries: 11 service layout problems in 2 services.\n"


def test_json_report(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "services", "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert sorted(item["code"] for item in document["violations"]) == list(SERVICE_CODES)
    assert document["services_checked"] == ["billing", "notifier"]
    assert document["compose_file"] == "compose.prod.yaml"
    by_code = {item["code"]: item for item in document["violations"]}
    assert by_code["BND302"]["path"] == "services/billing/Dockerfile"
    assert by_code["BND302"]["line"] == 4
    assert by_code["BND301"]["path"] == "services/notifier"
    assert by_code["BND301"]["line"] is None
    assert by_code["BND301"]["unit"] == {"kind": "service", "name": "notifier"}


def test_sarif_report(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "services", "--format", "sarif")
    assert status == 1
    document = json.loads(out)
    (sarif_run,) = document["runs"]
    assert sorted(result["ruleId"] for result in sarif_run["results"]) == list(SERVICE_CODES)
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    for result in sarif_run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    jsonschema = pytest.importorskip("jsonschema")
    from test_cli_check import sarif_schema

    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_github_annotations(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "services", "--format", "github")
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == len(SERVICE_CODES)
    assert all(line.startswith("::error file=") for line in lines)
    assert "::error file=services/notifier,title=BND301::BND301 " in out
    assert "::error file=services/billing/Dockerfile,line=4,col=1,title=BND302::" in out


def test_disable_and_compose_options(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "services",
        "--disable",
        "BND302,BND303 billing:BND305",
        "--disable=billing:BND306,billing:BND309,billing:BND310",
        "--disable",
        "notifier:*",
        "--compose",
        "none",
    )
    assert status == 0
    assert out == ""


def test_output_file(broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    status, out, _ = run(capsys, "services", "--format", "json", "--output", str(target))
    assert status == 1
    assert out == ""
    assert len(json.loads(target.read_text())["violations"]) == len(SERVICE_CODES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--disable", "BND399"], "option --disable: 'BND399': unknown code"),
        (["--disable", "biling:BND301"], "services that do not exist: biling"),
        (["--compose", "deploy/prod.yml"], "compose file 'deploy/prod.yml' not found"),
    ],
)
def test_bad_options_exit_2(
    example: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, "services", *args)
    assert status == 2
    assert out == ""
    assert message in err


def test_root_option_from_elsewhere(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    break_example(example)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "services", "--root", str(example), "--format", "json")
    assert status == 1
    assert len(json.loads(out)["violations"]) == len(SERVICE_CODES)

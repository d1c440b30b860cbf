"""The service-boundaries command on a copy of the example monorepo: map, explain, init
and the command-line plumbing shared by every subcommand. check and graph have their own
test modules."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import flake8_findings
from service_boundaries.cli import SUBCOMMANDS, main

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE = REPOSITORY / "examples" / "monorepo"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CORE_FILE = "services/billing/src/billing/core/invoice.py"
PORTS_FILE = "services/billing/src/billing/ports/bnd202_port_imports_adapter.py"


def copy_example(target: Path) -> Path:
    """Copy the example monorepo without its import-linter configuration and caches."""
    shutil.copytree(
        EXAMPLE,
        target,
        ignore=shutil.ignore_patterns(".importlinter", ".import_linter_cache", "__pycache__"),
    )
    return target


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example monorepo, made the current folder."""
    root = copy_example(tmp_path / "monorepo")
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command in this process; return the exit status, stdout and stderr."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# Plumbing -------------------------------------------------------------------------------


def test_every_subcommand_module_has_the_interface() -> None:
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"service_boundaries.cli.{name}")
        assert isinstance(module.HELP, str), name
        assert callable(module.add_arguments), name
        assert callable(module.run), name


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for name in SUBCOMMANDS:
        assert name in out


def test_unknown_subcommand_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "frobnicate")
    assert status == 2
    assert "invalid choice" in err


def test_python_dash_m_runs_the_command(example: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "service_boundaries", "map", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["root"] == example.as_posix()


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("service-boundaries")
    completed = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert completed.stdout.startswith("service-boundaries ")


def test_outside_workspace_is_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "map")
    assert status == 2
    assert out == ""
    assert "no workspace found" in err
    assert "--root" in err
    assert "Traceback" not in err


def test_invalid_names_option_is_clear_error(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "map", "--names", "servces = apps")
    assert status == 2
    assert "option --names" in err
    assert "Did you mean 'services'?" in err
    assert "Traceback" not in err


def test_root_must_be_a_folder(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "map", "--root", "missing")
    assert status == 2
    assert "'missing' is not a folder" in err


def test_flake8_config_names_are_read(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "services").rename(example / "apps")
    (example / "setup.cfg").write_text("[flake8]\nboundaries-names = services = apps\n")
    status, out, _ = run(capsys, "map", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["names"]["services"] == ["apps"]
    assert "setup.cfg [flake8] boundaries-names" in document["names_source"]
    assert {unit["name"] for unit in document["units"] if unit["kind"] == "service"} == {
        "billing",
        "notifier",
    }


# map ------------------------------------------------------------------------------------


def test_map_text_lists_units_and_layering(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "map")
    assert status == 0
    assert f"Workspace root: {example}" in out
    assert "service 'billing'" in out
    assert "import root: services/billing/src/" in out
    assert "owns:        billing, tests" in out
    assert (
        "layering:    active (has services/billing/src/billing/core/, "
        "services/billing/src/billing/ports/)" in out
    )
    assert "layering:    inactive (no core/ or ports/ folder" in out
    assert "tests: package 'textkit', service 'billing', service 'notifier'" in out


def test_map_json_describes_every_unit(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "map", "--format", "json")
    assert status == 0
    document = json.loads(out)
    units = {(unit["kind"], unit["name"]): unit for unit in document["units"]}
    assert set(units) == {
        ("app", "app"),
        ("package", "money"),
        ("package", "textkit"),
        ("service", "billing"),
        ("service", "notifier"),
    }
    assert units[("app", "app")]["top_level_names"] == ["shop"]
    assert units[("package", "textkit")]["import_root"] == "packages/textkit/src"
    assert units[("service", "billing")]["layering"]["active"] is True
    assert units[("service", "billing")]["layering"]["folders"] == [
        "services/billing/src/billing/core",
        "services/billing/src/billing/ports",
    ]
    assert units[("service", "notifier")]["layering"]["active"] is False
    assert set(document["ambiguous_names"]) == {"tests"}
    assert document["problems"] == []


def test_map_found_from_a_subfolder(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(example / "services" / "billing" / "src")
    status, out, _ = run(capsys, "map", "--format", "json")
    assert status == 0
    assert json.loads(out)["root"] == example.as_posix()


# explain --------------------------------------------------------------------------------


def test_explain_file_gives_unit_layer_and_allowed(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "explain", CORE_FILE)
    assert status == 0
    assert "Module: billing.core.invoice" in out
    assert "Unit:   service 'billing'" in out
    assert "Layer:  core (layering is active" in out
    assert "  - package 'money'" in out
    assert "  - layers core and ports of service 'billing'" in out
    assert "  - the app (BND101)" in out
    assert "  - service 'notifier' (BND102)" in out
    assert "  - layers adapters, main and modules in no layer of service 'billing' (BND201)" in out


def test_explain_import_not_allowed_exits_1(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "explain", CORE_FILE, "--import", "billing.adapters.memory")
    assert status == 1
    assert "resolves to:   service 'billing', layer 'adapters'" in out
    assert "not allowed, BND201" in out
    assert "rule:          core may import only core and ports" in out
    assert "# noqa: BND201" in out
    assert "billing.core.invoice -> billing.adapters.memory" in out


def test_explain_import_allowed_exits_0(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "explain", CORE_FILE, "--import", "money")
    assert status == 0
    assert "allowed: services may import packages" in out


def test_explain_third_party_import_is_allowed(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "explain", CORE_FILE, "--import", "requests.adapters")
    assert status == 0
    assert "names outside the workspace are always allowed" in out


def test_explain_relative_import(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "explain", PORTS_FILE, "--import", "..adapters.memory")
    assert status == 1
    assert "absolute name: billing.adapters.memory" in out
    assert "BND202" in out


def test_explain_relative_import_climbing_out(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "explain", PORTS_FILE, "--import", "....textkit")
    assert status == 1
    assert "BND902" in out


def test_explain_dotted_module(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "explain", "shop.checkout", "--import", "notifier.client")
    assert status == 1
    assert "File:   src/shop/checkout.py" in out
    assert "BND103" in out


def test_explain_module_in_several_units(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "services/notifier/tests/__init__.py").write_text("")
    (example / "services/billing/tests/__init__.py").write_text("")
    status, _, err = run(capsys, "explain", "tests")
    assert status == 2
    assert "matches several files" in err


def test_explain_unknown_module(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "explain", "billing.nothing_here")
    assert status == 2
    assert "module 'billing.nothing_here' was not found" in err


def test_explain_file_outside_units(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "setup.py").write_text("")
    status, _, err = run(capsys, "explain", "setup.py")
    assert status == 2
    assert "is in no unit of the workspace" in err


def test_explain_json(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "explain", CORE_FILE, "--import", "shop.catalog", "--format", "json"
    )
    assert status == 1
    document = json.loads(out)
    assert document["module"] == "billing.core.invoice"
    assert document["layer"] == "core"
    assert document["unit"] == {
        "kind": "service",
        "name": "billing",
        "path": "services/billing",
        "import_root": "services/billing/src",
    }
    assert document["import"]["allowed"] is False
    assert document["import"]["code"] == "BND101"


def test_explain_invalid_import_name(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "explain", CORE_FILE, "--import", "not a name")
    assert status == 2
    assert "is not a module name" in err


# init -----------------------------------------------------------------------------------


def lint_imports_findings(root: Path, config: str) -> set[tuple[str, int, str]]:
    """Run lint-imports as the docs show and return its (path, line, code) findings."""
    environment = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    completed = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", config],
        cwd=root,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    findings = set()
    lines = completed.stdout.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^\s+(\S+\.py):(\d+): ", line)
        if match is None:
            continue
        code = re.match(r"^\s+(BND\d{3}) ", lines[index + 1])
        assert code is not None, lines[index + 1]
        findings.add((os.path.normpath(match.group(1)), int(match.group(2)), code.group(1)))
    return findings


def test_init_config_reports_what_flake8_reports(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "init")
    assert status == 0
    assert "Wrote .importlinter (new file):" in out
    assert "Wrote tox.ini (new file):" in out
    assert "lint-imports .importlinter" in out
    expected = flake8_findings(example)
    assert len(expected) == 8
    assert lint_imports_findings(example, ".importlinter") == expected


def test_init_tox_environment_runs_the_config(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init")
    tox = (example / "tox.ini").read_text()
    assert "[tox]" in tox
    assert "[testenv:boundaries]" in tox
    assert "    lint-imports .importlinter\n" in tox


def test_init_rejects_overwrite_without_force(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init")
    (example / ".importlinter").write_text("# mine\n")
    status, out, err = run(capsys, "init")
    assert status == 2
    assert "already exists; pass --force" in err
    assert out == ""
    assert (example / ".importlinter").read_text() == "# mine\n"
    status, _, _ = run(capsys, "init", "--force")
    assert status == 0
    assert "[importlinter:contract:boundaries]" in (example / ".importlinter").read_text()


def test_init_appends_to_existing_tox_ini(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "tox.ini").write_text("[tox]\nenv_list = py\n\n[testenv]\ncommands = pytest\n")
    status, out, _ = run(capsys, "init")
    assert status == 0
    assert "Wrote tox.ini (section added):" in out
    tox = (example / "tox.ini").read_text()
    assert tox.startswith("[tox]\nenv_list = py\n\n[testenv]\ncommands = pytest\n\n")
    assert tox.count("[testenv:boundaries]") == 1


def test_init_replaces_tox_section_with_force(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "tox.ini").write_text(
        "[testenv:boundaries]\ncommands = old\n\n[testenv:other]\ncommands = keep\n"
    )
    status, _, err = run(capsys, "init")
    assert status == 2
    assert "already has a [testenv:boundaries] section" in err
    assert not (example / ".importlinter").exists()
    status, _, _ = run(capsys, "init", "--force")
    assert status == 0
    tox = (example / "tox.ini").read_text()
    assert "commands = old" not in tox
    assert "[testenv:other]\ncommands = keep\n" in tox
    assert tox.count("[testenv:boundaries]") == 1


def test_init_no_tox_prints_snippet(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "init", "--no-tox")
    assert status == 0
    assert not (example / "tox.ini").exists()
    assert "Add this environment to tox.ini" in out
    assert "[testenv:boundaries]" in out


def test_init_dry_run_writes_nothing(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "init", "--dry-run")
    assert status == 0
    assert "Would write .importlinter" in out
    assert not (example / ".importlinter").exists()
    assert not (example / "tox.ini").exists()


def test_init_carries_names_over(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "services").rename(example / "apps")
    names = "services = apps"
    status, _, _ = run(capsys, "init", "--names", names, "--exclude-type-checking")
    assert status == 0
    config = (example / ".importlinter").read_text()
    assert "names =\n    services = apps\n" in config
    assert "exclude_type_checking_imports = True" in config
    expected = flake8_findings(
        example, [f"--boundaries-names={names}", "--boundaries-exclude-type-checking"]
    )
    assert lint_imports_findings(example, ".importlinter") == expected


def test_init_public_api_matches_flake8(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(capsys, "init", "--public-api")
    assert status == 0
    assert "public_api = true" in (example / ".importlinter").read_text()
    expected = flake8_findings(example, ["--boundaries-public-api"])
    assert ("src/shop/checkout.py", 2, "BND106") in expected
    assert lint_imports_findings(example, ".importlinter") == expected


def test_verbose_before_or_after_subcommand(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "src/shop/broken.py").write_text("def (:\n")
    for args in (["-v", "check"], ["check", "-v"]):
        status, _, err = run(capsys, *args)
        assert status == 1, args
        assert "INFO: skipping" in err, args
    status, _, err = run(capsys, "check")
    assert "INFO" not in err


def test_suggested_ignore_imports_silence_lint_imports(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", "--no-tox")
    lines = []
    for path, line, code in sorted(flake8_findings(example)):
        source = (example / path).read_text().splitlines()[line - 1].strip()
        imported = re.sub(r"^from (\S+) import (\w+).*$", r"\1.\2", source)
        imported = re.sub(r"^import (\S+)$", r"\1", imported)
        status, out, _ = run(capsys, "explain", path, "--import", imported, "--format", "json")
        verdict = json.loads(out)["import"]
        assert status == 1, (path, imported)
        assert verdict["code"] == code
        if code != "BND902":
            lines.append(verdict["ignore_imports"])
    ignore = "ignore_imports =\n" + "".join(f"    {line}\n" for line in lines)
    config = example / ".importlinter"
    text = config.read_text().replace("# ignore_imports =\n", ignore)
    config.write_text(text)
    completed = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", ".importlinter"],
        cwd=example,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout


def test_internal_error_is_one_line(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("service_boundaries.cli.map.run", broken)
    status, _, err = run(capsys, "map")
    assert status == 2
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err
    status, _, err = run(capsys, "-vv", "map")
    assert "Traceback" in err


def test_explain_rejects_non_python_file(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "explain", "services/billing/Dockerfile")
    assert status == 2
    assert "is not a Python file" in err

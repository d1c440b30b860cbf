"""The example monorepo: both front ends report exactly its deliberate violations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import contract_findings, flake8_findings, flake8_messages

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE = REPOSITORY / "examples" / "monorepo"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
FLAKE8 = Path(sys.executable).with_name("flake8")

EXPECTED_MESSAGES = [
    "packages/money/money/bnd104_imports_app.py:2: BND104 package 'money' imports "
    "'shop.checkout' from the app; packages may import only other packages",
    "packages/textkit/src/textkit/bnd105_imports_service.py:2: BND105 package 'textkit' "
    "imports 'notifier.client' from service 'notifier'; packages may import only other "
    "packages",
    "services/billing/src/billing/adapters/bnd203_adapter_imports_config.py:2: BND203 "
    "adapters module 'billing.adapters.bnd203_adapter_imports_config' imports "
    "'billing.config' from no layer of service 'billing'; adapters may import only "
    "adapters, ports and core",
    "services/billing/src/billing/bnd101_imports_app.py:2: BND101 service 'billing' "
    "imports 'shop.catalog' from the app; services may import only packages",
    "services/billing/src/billing/core/bnd201_core_imports_adapter.py:2: BND201 core "
    "module 'billing.core.bnd201_core_imports_adapter' imports 'billing.adapters.memory' "
    "from layer 'adapters' of service 'billing'; core may import only core and ports",
    "services/billing/src/billing/ports/bnd202_port_imports_adapter.py:2: BND202 ports "
    "module 'billing.ports.bnd202_port_imports_adapter' imports 'billing.adapters.memory' "
    "from layer 'adapters' of service 'billing'; ports may import only ports and core",
    "services/notifier/notifier/bnd102_imports_billing.py:5: BND102 service 'notifier' "
    "imports 'billing.core.invoice' from service 'billing'; services may import only "
    "packages",
    "src/shop/bnd103_imports_service.py:2: BND103 the app imports 'notifier.client' from "
    "service 'notifier'; the app may import only packages",
]


def test_flake8_reports_each_deliberate_violation() -> None:
    assert flake8_messages(EXAMPLE) == EXPECTED_MESSAGES


def test_each_violation_is_in_its_named_file() -> None:
    for path, _line, code in flake8_findings(EXAMPLE):
        assert Path(path).name.startswith(code.lower())


def test_front_ends_agree_on_example() -> None:
    assert contract_findings(EXAMPLE) == flake8_findings(EXAMPLE)


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_lint_imports_lists_each_violation() -> None:
    result = _lint_imports(REPOSITORY / "contracts" / "boundaries.ini", EXAMPLE)
    assert result.returncode == 1, result.stdout + result.stderr
    for expected in (
        "billing.bnd101_imports_app -> shop.catalog (l.2)",
        "notifier.bnd102_imports_billing -> billing.core.invoice (l.5)",
        "shop.bnd103_imports_service -> notifier.client (l.2)",
        "money.bnd104_imports_app -> shop.checkout (l.2)",
        "textkit.bnd105_imports_service -> notifier.client (l.2)",
        "billing.core.bnd201_core_imports_adapter -> billing.adapters.memory (l.2)",
        "billing.ports.bnd202_port_imports_adapter -> billing.adapters.memory (l.2)",
        "billing.adapters.bnd203_adapter_imports_config -> billing.config (l.2)",
    ):
        assert expected in result.stdout
    assert "5 broken imports: BND101 x1, BND102 x1, BND103 x1, BND104 x1, BND105 x1." in (
        result.stdout
    )
    assert "3 broken imports: BND201 x1, BND202 x1, BND203 x1." in result.stdout


def test_lint_imports_passes_with_violations_ignored(tmp_path: Path) -> None:
    config = (REPOSITORY / "contracts" / "boundaries.ini").read_text()
    config = config.replace(
        "type = boundaries\n",
        "type = boundaries\n"
        "ignore_imports =\n"
        "    billing.bnd101_imports_app -> shop.catalog\n"
        "    notifier.bnd102_imports_billing -> billing.**\n"
        "    shop.bnd103_imports_service -> notifier.client\n"
        "    money.bnd104_imports_app -> shop.checkout\n"
        "    textkit.* -> notifier.client\n",
    ).replace(
        "type = layers\n",
        "type = layers\n"
        "ignore_imports =\n"
        "    billing.core.bnd201_core_imports_adapter -> billing.adapters.memory\n"
        "    billing.ports.* -> billing.adapters.memory\n"
        "    billing.adapters.bnd203_adapter_imports_config -> billing.config\n",
    )
    config_path = tmp_path / "boundaries.ini"
    config_path.write_text(config)
    result = _lint_imports(config_path, EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("cwd_kind", ["elsewhere", "inside-service", "inside-app"])
def test_stdin_mode_from_another_folder(tmp_path: Path, cwd_kind: str) -> None:
    source = (EXAMPLE / "services/notifier/notifier/bnd102_imports_billing.py").read_text()
    if cwd_kind == "elsewhere":
        cwd = tmp_path
        display_name = str(EXAMPLE / "services/notifier/notifier/api.py")
    elif cwd_kind == "inside-service":
        cwd = EXAMPLE / "services/notifier"
        display_name = "notifier/api.py"
    else:
        # Relative to the project, not to the current folder, as some editors pass it.
        cwd = EXAMPLE / "src/shop"
        display_name = "services/notifier/notifier/api.py"
    result = subprocess.run(
        [str(FLAKE8), "--select=BND", f"--stdin-display-name={display_name}", "-"],
        input=source,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f"{display_name}:5:5: BND102 service 'notifier' imports 'billing.core.invoice'" in (
        result.stdout
    )


def test_stdin_mode_name_found_nowhere(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(FLAKE8), "--select=BND", "--stdin-display-name=services/x/x/api.py", "-"],
        input="import shop\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_stdin_mode_with_root_option_and_project_relative_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(FLAKE8),
            "--select=BND",
            f"--boundaries-root={EXAMPLE}",
            "--stdin-display-name=src/shop/new_module.py",
            "-",
        ],
        input="import billing.main\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "src/shop/new_module.py:1:1: BND103 the app imports 'billing.main'" in result.stdout


def test_workspace_copied_without_python_path_setup(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLE, copy)
    result = _lint_imports(REPOSITORY / "contracts" / "boundaries.ini", copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 1 kept, 2 broken." in result.stdout

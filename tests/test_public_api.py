"""The opt-in public-API rule (BND106), as a table run through both front ends.

Outside a package, code may import only the package's top-level module, not its
submodules. Each case writes one or two files into BASE_TREE and lists every finding
expected with the rule on. With the rule off (the default) the same trees give none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BASE_TREE, contract_findings, flake8_findings, write_tree

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE = REPOSITORY / "examples" / "monorepo"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

BILLING = "services/billing/src/billing"
NOTIFIER = "services/notifier/notifier"
TEXTKIT = "packages/textkit/src/textkit"

CASES: list[tuple[str, dict[str, str], set[tuple[str, int, str]]]] = [
    (
        "service-from-submodule",
        {f"{BILLING}/api.py": "from money.fmt import format_money\n"},
        {(f"{BILLING}/api.py", 1, "BND106")},
    ),
    (
        "service-import-submodule",
        {f"{NOTIFIER}/client.py": "import money.fmt\n"},
        {(f"{NOTIFIER}/client.py", 1, "BND106")},
    ),
    (
        "submodule-named-in-from-import",
        {f"{BILLING}/api.py": "from money import fmt\n"},
        {(f"{BILLING}/api.py", 1, "BND106")},
    ),
    ("top-level-name-allowed", {f"{BILLING}/api.py": "from money import Money\n"}, set()),
    ("top-level-module-allowed", {f"{BILLING}/api.py": "import money\nimport textkit\n"}, set()),
    (
        "app-into-src-layout-package",
        {"src/shop/views.py": "from textkit.render import render\n"},
        {("src/shop/views.py", 1, "BND106")},
    ),
    (
        "package-into-other-package",
        {"packages/money/money/fmt.py": "import textkit.render\n"},
        {("packages/money/money/fmt.py", 1, "BND106")},
    ),
    (
        "subpackage",
        {
            "packages/money/money/rates/__init__.py": "",
            f"{BILLING}/api.py": "from money.rates import current\n",
        },
        {(f"{BILLING}/api.py", 1, "BND106")},
    ),
    (
        "package-own-submodule-allowed",
        {
            "packages/money/money/__init__.py": "from money.fmt import format_money\nfrom . import fmt\n"
        },
        set(),
    ),
    (
        "package-own-tests-allowed",
        {"packages/textkit/tests/test_render.py": "from textkit.render import render\n"},
        set(),
    ),
    (
        "service-own-submodule-allowed",
        {f"{BILLING}/main.py": "from billing.core import model\n"},
        set(),
    ),
    (
        "import-inside-function",
        {f"{BILLING}/api.py": "def handler():\n    from textkit import render\n"},
        {(f"{BILLING}/api.py", 2, "BND106")},
    ),
    (
        "boundary-code-wins-for-app",
        {f"{BILLING}/api.py": "from shop.views import V\n"},
        {(f"{BILLING}/api.py", 1, "BND101")},
    ),
    (
        "stdlib-and-third-party-allowed",
        {f"{BILLING}/api.py": "import os.path\nfrom pydantic.fields import Field\n"},
        set(),
    ),
]

IDS = [case[0] for case in CASES]
ARGS = [case[1:] for case in CASES]


@pytest.mark.parametrize(("files", "expected"), ARGS, ids=IDS)
def test_flake8_with_public_api(tmp_path: Path, files: dict[str, str], expected: set) -> None:
    write_tree(tmp_path, {**BASE_TREE, **files})
    assert flake8_findings(tmp_path, ["--boundaries-public-api"]) == expected


@pytest.mark.parametrize(("files", "expected"), ARGS, ids=IDS)
def test_contracts_with_public_api(tmp_path: Path, files: dict[str, str], expected: set) -> None:
    write_tree(tmp_path, {**BASE_TREE, **files})
    assert contract_findings(tmp_path, public_api=True) == expected


@pytest.mark.parametrize(("files", "expected"), ARGS, ids=IDS)
def test_rule_off_by_default(tmp_path: Path, files: dict[str, str], expected: set) -> None:
    write_tree(tmp_path, {**BASE_TREE, **files})
    without_rule = {item for item in expected if item[2] != "BND106"}
    assert flake8_findings(tmp_path) == without_rule
    assert contract_findings(tmp_path) == without_rule


def test_importer_in_another_graph_group(tmp_path: Path) -> None:
    # Both services own 'app', so the second one is built in a graph of its own, where
    # grimp keeps only the top-level name of 'money.fmt'.
    write_tree(
        tmp_path,
        {
            "packages/money/money/__init__.py": "",
            "packages/money/money/fmt.py": "",
            "services/one/app/__init__.py": "",
            "services/one/app/x.py": "from money.fmt import f\n",
            "services/two/app/__init__.py": "",
            "services/two/app/y.py": "import money.fmt\nimport money\n",
        },
    )
    expected = {
        ("services/one/app/x.py", 1, "BND106"),
        ("services/two/app/y.py", 1, "BND106"),
    }
    assert flake8_findings(tmp_path, ["--boundaries-public-api"]) == expected
    assert contract_findings(tmp_path, public_api=True) == expected


def test_option_from_flake8_config(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **BASE_TREE,
            f"{BILLING}/api.py": "import money.fmt\n",
            "setup.cfg": "[flake8]\nboundaries-public-api = true\n",
        },
    )
    assert flake8_findings(tmp_path) == {(f"{BILLING}/api.py", 1, "BND106")}


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--contract", "boundaries", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_contract_field_on_example(tmp_path: Path) -> None:
    config = (REPOSITORY / "contracts" / "boundaries.ini").read_text()
    config_path = tmp_path / "public.ini"
    config_path.write_text(
        config.replace("type = boundaries\n", "type = boundaries\npublic_api = true\n")
    )
    result = _lint_imports(config_path, EXAMPLE)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "shop.checkout -> textkit.render (l.2)" in result.stdout
    assert (
        "BND106 the app imports 'textkit.render', a submodule of package 'textkit', instead "
        "of what 'textkit' exports; outside a package, import only its top-level module"
    ) in result.stdout
    assert "BND106 x1" in result.stdout


def test_contract_field_off_on_example() -> None:
    result = _lint_imports(REPOSITORY / "contracts" / "boundaries.ini", EXAMPLE)
    assert "BND106" not in result.stdout


def test_contract_field_invalid(tmp_path: Path) -> None:
    config = (REPOSITORY / "contracts" / "boundaries.ini").read_text()
    config_path = tmp_path / "public.ini"
    config_path.write_text(
        config.replace("type = boundaries\n", "type = boundaries\npublic_api = maybe\n")
    )
    result = _lint_imports(config_path, EXAMPLE)
    assert result.returncode != 0
    assert "public_api: Could not parse a boolean from 'maybe'." in result.stdout + result.stderr

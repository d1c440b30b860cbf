"""Contract configuration: every bad field gets a readable message, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monorepo"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

HEADER = """\
[importlinter]
root_package = service_boundaries
contract_types =
    boundaries: service_boundaries.contracts.ImportBoundariesContract

[importlinter:contract:boundaries]
name = Boundaries
type = boundaries
"""

BAD_FIELDS = [
    ("unknown-field", "rot = .\n", "rot: Unrecognized option. Did you mean 'root'?"),
    ("missing-root", "root = nowhere\n", "nowhere' is not a folder"),
    ("root-not-a-monorepo", "root = {tmp}\n", "is not a monorepo: it has none of services/"),
    (
        "unmatched-ignore",
        "ignore_imports = a.b -> c.d\n",
        "No matches for ignored import a.b -> c.d.",
    ),
    (
        "unknown-names-key",
        "names = servces = apps\n",
        "unknown key 'servces'; accepted keys are app",
    ),
    ("names-without-value", "names = services =\n", "'services' has no folder names"),
    (
        "bad-alerting",
        "unmatched_ignore_imports_alerting = sometimes\n",
        "Invalid value 'sometimes': expected 'none', 'warn' or 'error'.",
    ),
]


def run_lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(config)],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        timeout=120,
    )


@pytest.mark.parametrize(
    ("fields", "message"), [case[1:] for case in BAD_FIELDS], ids=[c[0] for c in BAD_FIELDS]
)
def test_bad_field_gets_clear_message(tmp_path: Path, fields: str, message: str) -> None:
    config = tmp_path / "bad.ini"
    config.write_text(HEADER + fields.format(tmp=tmp_path))
    result = run_lint_imports(config)
    assert result.returncode == 1
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_unmatched_ignore_can_warn(tmp_path: Path) -> None:
    config = tmp_path / "warn.ini"
    config.write_text(
        HEADER + "ignore_imports = a.b -> c.d\nunmatched_ignore_imports_alerting = warn\n"
    )
    result = run_lint_imports(config)
    assert "No matches for ignored import a.b -> c.d." in result.stdout
    assert "BND101" in result.stdout


def test_toml_configuration(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        """\
[tool.importlinter]
root_package = "service_boundaries"
contract_types = ["boundaries: service_boundaries.contracts.ImportBoundariesContract"]

[[tool.importlinter.contracts]]
name = "Boundaries"
type = "boundaries"
names = { services = ["services"], packages = ["packages"] }
ignore_imports = ["shop.bnd103_imports_service -> notifier.client"]
"""
    )
    result = run_lint_imports(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "4 broken imports: BND101 x1, BND102 x1, BND104 x1, BND105 x1." in result.stdout

"""Run both front ends on a tree and return their findings in one comparable shape."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

from flake8.main.application import Application

from service_boundaries.contracts.graphs import check_workspace
from service_boundaries.names import Names
from service_boundaries.workspace import Workspace

# (path relative to the root, line, code)
Finding = tuple[str, int, str]

FLAKE8_FORMAT = "%(path)s|%(row)d|%(col)d|%(code)s|%(text)s"

# The tree most table cases start from: the app, a flat and a src-layout package, a
# layered src-layout service and a flat service without layers.
BASE_TREE: dict[str, str] = {
    "src/shop/__init__.py": "",
    "src/shop/views.py": "",
    "packages/money/money/__init__.py": "",
    "packages/money/money/fmt.py": "",
    "packages/textkit/src/textkit/__init__.py": "",
    "packages/textkit/src/textkit/render.py": "",
    "services/billing/src/billing/__init__.py": "",
    "services/billing/src/billing/api.py": "",
    "services/billing/src/billing/config.py": "",
    "services/billing/src/billing/main.py": "",
    "services/billing/src/billing/core/__init__.py": "",
    "services/billing/src/billing/core/model.py": "",
    "services/billing/src/billing/core/rules.py": "",
    "services/billing/src/billing/ports/__init__.py": "",
    "services/billing/src/billing/ports/repo.py": "",
    "services/billing/src/billing/adapters/__init__.py": "",
    "services/billing/src/billing/adapters/db.py": "",
    "services/billing/tests/test_api.py": "",
    "services/notifier/notifier/__init__.py": "",
    "services/notifier/notifier/client.py": "",
    "services/notifier/tests/test_client.py": "",
}


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write files (relative path -> source) under root and return root."""
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


def run_flake8(args: list[str], cwd: Path | None = None) -> str:
    """Run flake8 in this process and return what it printed."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        output_file = Path(folder) / "flake8.txt"
        try:
            if cwd is not None:
                os.chdir(cwd)
            Application().run([f"--output-file={output_file}", *args])
        finally:
            os.chdir(previous)
        return output_file.read_text() if output_file.exists() else ""


def flake8_findings(root: Path, extra: list[str] | None = None) -> set[Finding]:
    """Run flake8 with only the plugin over a root and return its findings."""
    printed = run_flake8(
        ["--select=BND", f"--format={FLAKE8_FORMAT}", "--jobs=1", *(extra or []), "."],
        cwd=root,
    )
    findings = set()
    for line in printed.splitlines():
        path, row, _col, code, _text = line.split("|", 4)
        findings.add((os.path.normpath(path), int(row), code))
    return findings


def flake8_messages(root: Path, extra: list[str] | None = None) -> list[str]:
    """Run flake8 with only the plugin over a root and return 'path:line: CODE text' lines."""
    printed = run_flake8(
        [
            "--select=BND",
            "--format=%(path)s:%(row)d: %(code)s %(text)s",
            "--jobs=1",
            *(extra or []),
            ".",
        ],
        cwd=root,
    )
    return sorted(line.removeprefix("./") for line in printed.splitlines())


def contract_findings(
    root: Path,
    names: Names | None = None,
    exclude_type_checking: bool = False,
    *,
    public_api: bool = False,
) -> set[Finding]:
    """Build the contract graphs for a root and return their findings."""
    workspace = Workspace.discover(root, names or Names())
    checked = check_workspace(
        workspace, exclude_type_checking=exclude_type_checking, public_api=public_api
    )
    return {
        (os.path.relpath(finding.path, root), finding.line, finding.violation.code)
        for finding in checked.findings
    }

"""Workspace discovery runs once per root per process, not once per checked file."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import flake8_findings, write_tree
from service_boundaries import checker, workspace
from service_boundaries.contracts.graphs import plan_groups

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monorepo"


def test_flake8_discovers_workspace_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace, "_WORKSPACES", {})
    monkeypatch.setattr(checker, "_FOLDER_WORKSPACES", {})
    calls = []
    original = workspace.Workspace.discover.__func__

    def counting_discover(cls, root, names=workspace.DEFAULT_NAMES):
        calls.append(root)
        return original(cls, root, names)

    monkeypatch.setattr(workspace.Workspace, "discover", classmethod(counting_discover))
    findings = flake8_findings(EXAMPLE)
    assert len(findings) == 8
    assert calls == [EXAMPLE]


def test_each_folder_listed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        f"services/s{i}/s{i}/m{j}.py": "import money\nimport s0.m0\n"
        for i in range(3)
        for j in range(5)
    }
    files["packages/money/money/__init__.py"] = ""
    write_tree(tmp_path, files)
    listed: list[Path] = []
    original = workspace.Workspace._read_listing

    def counting_read(self, folder):
        listed.append(folder)
        return original(self, folder)

    monkeypatch.setattr(workspace.Workspace, "_read_listing", counting_read)
    assert len(flake8_findings(tmp_path)) == 10
    assert len(listed) == len(set(listed))


def test_colliding_names_get_separate_groups(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "services/a/app/__init__.py": "",
            "services/a/tests/test_a.py": "",
            "services/b/app/__init__.py": "",
            "packages/p/p/__init__.py": "",
            "src/web/__init__.py": "",
        },
    )
    groups = plan_groups(workspace.Workspace.discover(tmp_path))
    assert [[unit.name for unit in group.units] for group in groups] == [["app", "p", "a"], ["b"]]

"""The pre-commit hooks in .pre-commit-hooks.yaml: valid by pre-commit's own schema, and
run for real with 'pre-commit try-repo' on a copy of the example monorepo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import copy_example

REPOSITORY = Path(__file__).resolve().parent.parent
HOOKS_FILE = REPOSITORY / ".pre-commit-hooks.yaml"
HOOK_IDS = ["service-boundaries", "service-boundaries-contracts"]


def test_hooks_file_is_valid_manifest() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    hooks = clientlib.load_manifest(str(HOOKS_FILE))
    assert [hook["id"] for hook in hooks] == HOOK_IDS
    flake8_hook, contracts_hook = hooks
    assert flake8_hook["entry"] == "flake8 --select=BND"
    assert flake8_hook["types"] == ["python"]
    assert flake8_hook["pass_filenames"] is True
    assert contracts_hook["entry"] == "lint-imports"
    assert contracts_hook["pass_filenames"] is False
    assert contracts_hook["always_run"] is True


def test_docs_example_config_is_valid(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    text = (REPOSITORY / "docs" / "ci.md").read_text()
    example = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", text, re.DOTALL)
    assert example is not None, "docs/ci.md has no .pre-commit-config.yaml example"
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(example.group(1))
    repos = clientlib.load_config(str(config))["repos"]
    hook_ids = [hook["id"] for hook in repos[0]["hooks"]]
    assert hook_ids == HOOK_IDS


def test_hook_entries_are_installed_commands() -> None:
    bin_folder = Path(sys.executable).parent
    assert (bin_folder / "flake8").exists()
    assert (bin_folder / "lint-imports").exists()


@pytest.mark.slow
def test_try_repo_runs_both_hooks(tmp_path: Path) -> None:
    # try-repo installs this repository (its last commit plus uncommitted changes to
    # tracked files) into a fresh environment with pip, so it needs the package index.
    # It took about 30 s on a 2-core machine.
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = copy_example(tmp_path / "repo")
    shutil.copy(REPOSITORY / "examples/monorepo/.importlinter", repo / ".importlinter")
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "COLUMNS": "200",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"]):
        subprocess.run(command, cwd=repo, env=environment, check=True)
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPOSITORY), "--all-files"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "service-boundaries (flake8)" in output
    assert "BND101 service 'billing' imports 'shop.catalog'" in output
    assert "service-boundaries (import-linter contracts)" in output
    assert "Services, packages and the app import only what they may BROKEN" in output

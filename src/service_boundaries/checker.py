"""Check the imports of one file against the rules: the engine entry point per file.

Both front ends end here for one module's imports: flake8 passes the syntax tree it
parsed, the contracts pass the lines grimp could not name in full.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .imports import absolute_name, extract_imports
from .names import DEFAULT_NAMES, Names
from .rules import Violation, climbing_relative_import, judge
from .workspace import Location, Workspace, clear_caches as clear_workspace_caches
from .workspace import find_root, get_workspace

# (folder of a checked file, --boundaries-root, names) -> its workspace, or None.
_FOLDER_WORKSPACES: dict[tuple[str, Path | None, Names], Workspace | None] = {}


@dataclass(frozen=True)
class Finding:
    """A violation at a position in a file."""

    line: int
    column: int
    violation: Violation


def clear_caches() -> None:
    """Forget every workspace, root search and folder lookup of this process.

    For tests and benchmarks that check several trees, or one tree afresh, in one process.
    """
    _FOLDER_WORKSPACES.clear()
    clear_workspace_caches()


def workspace_for_file(
    path: Path, root: Path | None = None, names: Names = DEFAULT_NAMES
) -> Workspace | None:
    """Return the workspace a file belongs to, or None when it is in no monorepo.

    The nearest root is looked up once per folder and each workspace is discovered once
    per process, so checking a whole tree lists each folder once.
    """
    key = (os.path.dirname(path), root, names)
    if key in _FOLDER_WORKSPACES:
        return _FOLDER_WORKSPACES[key]
    if root is None:
        root = find_root(Path(key[0]), names)
    workspace = None
    if root is not None:
        workspace = get_workspace(root, names)
        if not workspace.is_monorepo:
            workspace = None
    _FOLDER_WORKSPACES[key] = workspace
    return workspace


def check_tree(
    tree: ast.AST,
    workspace: Workspace,
    location: Location,
    exclude_type_checking: bool = False,
    public_api: bool = False,
) -> Iterator[Finding]:
    """Yield one finding per import of a module that breaks a rule.

    With ``public_api``, imports of another package's submodules are BND106 findings.
    """
    seen: set[tuple[int, int, str]] = set()
    for imported in extract_imports(tree, exclude_type_checking):
        name = absolute_name(imported, location.module, location.is_package)
        if name is None:
            violation: Violation | None = climbing_relative_import(
                location.unit, location.module, imported.written
            )
        else:
            violation = judge(
                workspace, location.unit, location.module, name, public_api=public_api
            )
        if violation is None:
            continue
        key = (imported.line, imported.column, violation.code)
        if key in seen:
            continue
        seen.add(key)
        yield Finding(imported.line, imported.column, violation)

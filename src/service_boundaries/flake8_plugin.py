"""The flake8 front end: a tree plugin registered as ``BND``."""

from __future__ import annotations

import argparse
import ast
import os
from collections.abc import Iterator
from pathlib import Path

from flake8.exceptions import ExecutionError
from flake8.options.manager import OptionManager

from . import __version__
from .checker import check_tree, workspace_for_file
from .errors import BoundariesError
from .names import DEFAULT_NAMES, Names, parse_names

Result = tuple[int, int, str, type]


class BoundaryChecker:
    """Report imports that cross a service, package or layer boundary."""

    name = "service-boundaries"
    version = __version__

    root: Path | None = None
    names: Names = DEFAULT_NAMES
    exclude_type_checking = False

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.tree = tree
        self.filename = filename

    @classmethod
    def add_options(cls, manager: OptionManager) -> None:
        """Register the plugin's options; each may also be set in a flake8 config file."""
        manager.add_option(
            "--boundaries-root",
            metavar="PATH",
            default=None,
            parse_from_config=True,
            normalize_paths=True,
            help="Folder that holds services/ and packages/ (default: the nearest "
            "ancestor of each checked file that has one of them).",
        )
        manager.add_option(
            "--boundaries-exclude-type-checking",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="Skip imports under 'if TYPE_CHECKING:' (default: check them).",
        )
        manager.add_option(
            "--boundaries-names",
            metavar="KEY=NAMES;...",
            default="",
            parse_from_config=True,
            help="Folder names of areas and layers, as 'key = name, name' entries "
            "separated by ';' or new lines, for example 'services = services, apps; "
            "core = core, domain'. Keys: app, services, packages, core, ports, adapters, "
            "main.",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Store the parsed options; stop flake8 with a clear message when one is invalid."""
        try:
            cls.names = parse_names(options.boundaries_names, "option --boundaries-names")
        except BoundariesError as error:
            raise ExecutionError(str(error)) from None
        root = options.boundaries_root
        if root:
            root_path = Path(os.path.abspath(root))
            if not root_path.is_dir():
                raise ExecutionError(
                    f"option --boundaries-root: {root!r} is not a folder; give the folder "
                    "that holds services/ and packages/, or leave the option out."
                )
            cls.root = root_path
        else:
            cls.root = None
        cls.exclude_type_checking = bool(options.boundaries_exclude_type_checking)

    def run(self) -> Iterator[Result]:
        """Yield (line, column, message, type) for each import that breaks a rule."""
        path = self._path()
        if path is None:
            return
        try:
            workspace = workspace_for_file(path, self.root, self.names)
        except BoundariesError:
            return
        if workspace is None:
            return
        location = workspace.locate(path)
        if location is None:
            return
        for finding in check_tree(self.tree, workspace, location, self.exclude_type_checking):
            yield finding.line, finding.column, finding.violation.text, type(self)

    def _path(self) -> Path | None:
        if self.filename in ("stdin", "-", ""):
            return None
        path = Path(os.path.abspath(self.filename))
        root = self.root
        if root is not None and not path.is_relative_to(root):
            # Editors may pass a display name relative to the project, not to the
            # current folder.
            candidate = Path(os.path.abspath(root / self.filename))
            if candidate.is_relative_to(root):
                return candidate
        return path

"""The flake8 front end: a tree plugin registered as ``BND``."""

from __future__ import annotations

import argparse
import ast
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from flake8.exceptions import ExecutionError
from flake8.options.manager import OptionManager

from . import __version__
from .checker import check_tree, workspace_for_file
from .errors import BoundariesError
from .names import DEFAULT_NAMES, Names, parse_names
from .workspace import Problem, Workspace, get_workspace

logger = logging.getLogger(__name__)

Result = tuple[int, int, str, type]

# Where flake8 reads the plugin's options from; flake8 does not say which one a value
# came from, so error messages name both.
OPTION_SOURCES = "the command line, or the [flake8] section of setup.cfg, tox.ini or .flake8"

# How many of each workspace's problems this process has reported already, by id of
# the workspace, which is kept alive here so that its id is never reused; see
# BoundaryChecker._new_problems.
_REPORTED_PROBLEMS: dict[int, tuple[Workspace, int]] = {}


class BoundaryChecker:
    """Report imports that cross a service, package or layer boundary."""

    name = "service-boundaries"
    version = __version__

    root: Path | None = None
    names: Names = DEFAULT_NAMES
    exclude_type_checking = False
    public_api = False

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
        manager.add_option(
            "--boundaries-public-api",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="Report BND106 for imports of another package's submodules: outside a "
            "package, import only its top-level module (default: allow them).",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Store the parsed options; stop flake8 with a clear message when one is invalid."""
        try:
            cls.names = parse_names(
                options.boundaries_names, f"option --boundaries-names (from {OPTION_SOURCES})"
            )
        except BoundariesError as error:
            raise ExecutionError(str(error)) from None
        root = options.boundaries_root
        cls.root = _checked_root(root, cls.names) if root else None
        cls.exclude_type_checking = bool(options.boundaries_exclude_type_checking)
        cls.public_api = bool(options.boundaries_public_api)

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
        if location is not None:
            findings = check_tree(
                self.tree,
                workspace,
                location,
                self.exclude_type_checking,
                public_api=self.public_api,
            )
            for finding in findings:
                yield finding.line, finding.column, finding.violation.text, type(self)
        if workspace.found_problems and path.is_relative_to(workspace.root):
            for problem in self._new_problems(workspace):
                yield 1, 0, f"{problem.code} {problem.message}", type(self)

    @staticmethod
    def _new_problems(workspace: Workspace) -> list[Problem]:
        """Return the workspace problems this process has not reported yet.

        A problem (an unreadable folder, services/ being a file, a symbolic link that
        leaves the root or loops) belongs to no file, so it is reported once, on line 1
        of the file whose check first ran into it. That is the first checked file for
        problems found at discovery, and the file whose imports needed the folder for the
        others. The workspace and its folder listings are cached per process, so with
        --jobs=N each worker process that runs into a problem reports it once (at most N
        times in all).
        """
        key = id(workspace)
        already = _REPORTED_PROBLEMS.get(key, (workspace, 0))[1]
        problems = workspace.found_problems[already:]
        _REPORTED_PROBLEMS[key] = (workspace, len(workspace.found_problems))
        return problems

    def _path(self) -> Path | None:
        if self.filename in ("stdin", "-", ""):
            return None
        if os.path.isabs(self.filename) or os.path.exists(self.filename):
            return Path(os.path.abspath(self.filename))
        return _display_name_path(self.filename, self.root)


def _display_name_path(name: str, root: Path | None) -> Path | None:
    """Place a relative name of a file that does not exist: an editor's display name.

    Editors pass the name relative to the project, which need not be the current folder.
    The name is tried against --boundaries-root, the current folder and each folder
    above it; the first place whose folder exists wins. None when there is none: the
    buffer is then in no workspace this process can see.
    """
    current = Path.cwd()
    bases = ([root] if root is not None else []) + [current, *current.parents]
    for base in bases:
        candidate = Path(os.path.abspath(base / name))
        if candidate.parent.is_dir():
            return candidate
    # Logged at info level, which flake8 shows with -v: editors show stderr as errors.
    logger.info(
        "%s: no folder for this name exists under the current folder or above it; "
        "its imports were not checked. Pass the path relative to the current folder, "
        "or set --boundaries-root.",
        name,
    )
    return None


def _checked_root(raw: str, names: Names) -> Path:
    """Return the --boundaries-root folder; stop flake8 with a clear message when unusable."""
    where = f"option --boundaries-root (from {OPTION_SOURCES})"
    areas = " and ".join(f"{folder}/" for folder in names.services + names.packages)
    try:
        root = Path(os.path.abspath(raw))
        is_folder = root.is_dir()
    except (OSError, ValueError) as error:
        raise ExecutionError(
            f"{where}: cannot use {raw!r}: {error}; give the folder that holds {areas}, "
            "or leave the option out."
        ) from None
    if not is_folder:
        raise ExecutionError(
            f"{where}: {raw!r} is not a folder; give the folder that holds {areas}, or "
            "leave the option out to find it from each checked file."
        )
    try:
        workspace = get_workspace(root, names)
    except BoundariesError as error:
        raise ExecutionError(f"{where}: {error}") from None
    if not workspace.is_monorepo:
        details = "".join(f" {problem}" for problem in workspace.problems)
        raise ExecutionError(
            f"{where}: {raw!r} is not a monorepo root: it holds none of the folders "
            f"{areas}.{details} Give the repository's top folder, map other folder names "
            "with --boundaries-names, or leave the option out."
        )
    return root

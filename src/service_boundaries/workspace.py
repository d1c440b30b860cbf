"""The workspace model: root, units, the names each unit owns, and name resolution.

Nothing here imports or runs the code being checked: ownership is decided by looking at
folder and file names on disk, and each folder is listed at most once per workspace.
"""

from __future__ import annotations

import enum
import functools
import errno
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import WorkspaceError
from .names import DEFAULT_NAMES, Names

logger = logging.getLogger(__name__)


class Kind(enum.Enum):
    """The kind of a unit: the app, a shared package or a deployable service."""

    APP = "app"
    PACKAGE = "package"
    SERVICE = "service"


# Compared and hashed by identity: a workspace makes each unit once, and the plugin
# hashes units for every import it resolves.
@dataclass(frozen=True, eq=False)
class Unit:
    """One app, package or service of the workspace."""

    kind: Kind
    name: str
    path: Path
    import_root: Path

    @property
    def search_roots(self) -> tuple[Path, ...]:
        """Folders whose contents are named from the top: the import root, then the unit
        folder for ``tests/`` and other siblings of a ``src/`` layout."""
        if self.import_root == self.path:
            return (self.path,)
        return (self.import_root, self.path)

    def describe(self) -> str:
        """Return the unit as it appears in messages, for example ``service 'billing'``."""
        if self.kind is Kind.APP:
            return "the app"
        return f"{self.kind.value} {self.name!r}"


@dataclass(frozen=True)
class Location:
    """A module's place: its unit, dotted name and whether it is a package."""

    unit: Unit
    module: str
    is_package: bool


@dataclass(frozen=True)
class Resolution:
    """The unit an imported name belongs to; ``unit`` is None outside the workspace."""

    unit: Unit | None
    ambiguous: tuple[Unit, ...] = ()
    by_path: bool = False
    depth: int = 0
    """How many leading parts of the name exist on disk in the unit (0 when by path)."""


@dataclass(frozen=True)
class Problem:
    """A folder or link of the workspace that could not be read as a unit's code.

    ``code`` is a BND9xx code of ``rules.CODES``; ``message`` names the path, what is wrong
    and what to do, and is the text both front ends print.
    """

    code: str
    path: Path
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Listing:
    """Names in one folder: importable subfolders, importable modules, every subfolder."""

    folders: frozenset[str]
    modules: frozenset[str]
    all_folders: tuple[str, ...]


@dataclass
class Workspace:
    """The units found under one root, with cached folder listings."""

    root: Path
    names: Names = DEFAULT_NAMES
    units: tuple[Unit, ...] = ()
    found_problems: list[Problem] = field(default_factory=list)
    _listings: dict[str, _Listing] = field(default_factory=dict, repr=False)
    _layering: dict[Unit, bool] = field(default_factory=dict, repr=False)
    _prefix_cache: dict[tuple[Unit, tuple[str, ...]], int] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def discover(cls, root: Path, names: Names = DEFAULT_NAMES) -> Workspace:
        """Find the units under ``root``; raise WorkspaceError if it is not a folder."""
        root = Path(os.path.abspath(root))
        if not _is_folder(root):
            raise WorkspaceError(
                f"workspace root {str(root)!r} is not a folder; pass the folder that holds "
                f"{'/'.join(names.services)}/ and {'/'.join(names.packages)}/."
            )
        workspace = cls(root=root, names=names)
        workspace.units = tuple(workspace._find_units())
        return workspace

    @property
    def problems(self) -> list[str]:
        """The messages of ``found_problems``, in the order they were found."""
        return [problem.message for problem in self.found_problems]

    @cached_property
    def is_monorepo(self) -> bool:
        """Whether the root has a services or packages folder."""
        return any(
            _is_folder(self.root / folder) for folder in self.names.services + self.names.packages
        )

    def add_problem(self, code: str, path: Path, message: str) -> None:
        """Record a problem once per code and path.

        Only logged at debug level: each front end reports problems through its own
        channel (a BND9xx message from flake8, an error from the contracts).
        """
        if any(p.code == code and p.path == path for p in self.found_problems):
            return
        self.found_problems.append(Problem(code, path, message))
        logger.debug(message)

    def display(self, path: Path | str) -> str:
        """Return a path as messages show it: relative to the root when inside it."""
        path = Path(path)
        if path.is_relative_to(self.root) and path != self.root:
            return str(path.relative_to(self.root))
        return str(path)

    @cached_property
    def real_root(self) -> Path:
        """The root with every symbolic link resolved; links are judged against it."""
        return Path(os.path.realpath(self.root))

    def _find_units(self) -> list[Unit]:
        units: list[Unit] = []
        for folder in self.names.app:
            app_path = self.root / folder
            if self._area_kind(app_path, "the app was not read") == "folder":
                units.append(Unit(Kind.APP, "app", app_path, app_path))
                break
        for kind, area_folders in (
            (Kind.PACKAGE, self.names.packages),
            (Kind.SERVICE, self.names.services),
        ):
            for area_folder in area_folders:
                area = self.root / area_folder
                what = f"{kind.value}s"
                area_kind = self._area_kind(area, f"no {what} were read from it")
                if area_kind == "missing" or area_kind == "unusable":
                    continue
                if area_kind == "other":
                    self.add_problem(
                        "BND904",
                        area,
                        f"{self.display(area)} is a file, not a folder, so no {what} were "
                        f"read from it; remove or rename the file, or name the folder that "
                        f"holds the {what} in the 'names' setting.",
                    )
                    continue
                for name in self._listing(area).all_folders:
                    unit_path = area / name
                    import_root = unit_path / "src"
                    if not _is_folder(import_root):
                        import_root = unit_path
                    units.append(Unit(kind, name, unit_path, import_root))
        return units

    def _area_kind(self, path: Path, consequence: str) -> str:
        """Return 'folder', 'other', 'missing' or 'unusable' for an area or app folder.

        An area that is a symbolic link leaving the root is 'unusable': the check reads
        nothing outside the root. A folder that cannot be examined is 'unusable' too.
        Both are recorded as problems.
        """
        try:
            mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return "missing"
        except OSError as error:
            self.record_unreadable(path, error, consequence)
            return "unusable"
        if os.path.islink(path) and not self.link_allowed(path, path.parent):
            return "unusable"
        return "folder" if stat.S_ISDIR(mode) else "other"

    def record_unreadable(self, path: Path, error: OSError, consequence: str) -> None:
        """Record a BND903 problem: ``path`` could not be read, with what that means."""
        reason = error.strerror or str(error)
        self.add_problem(
            "BND903",
            path,
            f"cannot read {self.display(path)}: {reason}; {consequence}. Make it readable "
            "by the user running the check, or remove it.",
        )

    def link_allowed(self, link: Path, folder: Path) -> bool:
        """Return whether a symbolic link found in ``folder`` may be followed.

        Policy: a link is followed only when its target is inside the root (nothing
        outside the root is read) and is not ``folder`` itself or a folder above it (a
        loop, which would make every walk endless). Either kind is recorded as a problem.
        """
        target = Path(os.path.realpath(link))
        real_root = self.real_root
        if not target.is_relative_to(real_root):
            self.add_problem(
                "BND905",
                link,
                f"{self.display(link)} is a symbolic link to {target}, outside the workspace "
                f"root {self.root}; it is not followed, so nothing behind it is checked. "
                "Replace the link with a copy, or move its target inside the root.",
            )
            return False
        real_folder = Path(os.path.realpath(folder))
        if real_folder.is_relative_to(target):
            self.add_problem(
                "BND906",
                link,
                f"{self.display(link)} is a symbolic link to {self.display(target)}, a folder "
                "that contains the link, so following it would never end; it is not "
                "followed. Remove the link, or point it at a folder that does not hold it.",
            )
            return False
        return True

    # Folder listings ---------------------------------------------------------------

    def _listing(self, folder: Path | str) -> _Listing:
        # Keyed by the folder's text: hashing a str is much cheaper than a Path.
        key = os.fspath(folder)
        listing = self._listings.get(key)
        if listing is None:
            listing = self._read_listing(Path(key))
            self._listings[key] = listing
        return listing

    def _read_listing(self, folder: Path) -> _Listing:
        folders: set[str] = set()
        modules: set[str] = set()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    kind = self.entry_kind(entry, folder)
                    if kind == "folder":
                        folders.add(name)
                    elif kind == "file" and name.endswith(".py"):
                        modules.add(name[:-3])
        except (FileNotFoundError, NotADirectoryError):
            pass
        except OSError as error:
            self.record_unreadable(folder, error, "the names in it are unknown to the check")
        return _Listing(
            folders=frozenset(name for name in folders if name.isidentifier()),
            modules=frozenset(name for name in modules if name.isidentifier()),
            all_folders=tuple(sorted(folders)),
        )

    def entry_kind(self, entry: os.DirEntry[str], folder: Path) -> str | None:
        """Return 'folder' or 'file' (a regular file) for a listed entry, or None to skip it.

        Symbolic links follow the policy of ``link_allowed``; fifos, sockets and devices
        are skipped, so that nothing blocks on reading them.
        """
        try:
            if entry.is_symlink() and not self.link_allowed(Path(entry.path), folder):
                return None
            if entry.is_dir():
                return "folder"
            if entry.is_file():
                return "file"
        except OSError as error:
            if error.errno == errno.ELOOP:
                link = Path(entry.path)
                self.add_problem(
                    "BND906",
                    link,
                    f"{self.display(link)} is a symbolic link that never reaches a file or "
                    "folder (the links point at each other); it is not followed. Remove the "
                    "link or fix its target.",
                )
        return None

    # Ownership -----------------------------------------------------------------------

    @cached_property
    def owners(self) -> dict[str, tuple[Unit, ...]]:
        """Map each top-level module name to the units that own it."""
        owners: dict[str, list[Unit]] = {}
        for unit in self.units:
            for top_name in sorted(self.top_level_names(unit)):
                owners.setdefault(top_name, []).append(unit)
        return {name: tuple(units) for name, units in owners.items()}

    def top_level_names(self, unit: Unit) -> set[str]:
        """Return the importable top-level names found in the unit's search roots."""
        found: set[str] = set()
        for search_root in unit.search_roots:
            listing = self._listing(search_root)
            found.update(listing.folders)
            found.update(listing.modules)
        if unit.import_root != unit.path:
            found.discard("src")
        return found

    def prefix_length(self, unit: Unit, parts: Sequence[str]) -> int:
        """Return how many leading parts of a dotted name exist on disk in ``unit``."""
        key = (unit, tuple(parts))
        cached = self._prefix_cache.get(key)
        if cached is not None:
            return cached
        best = 0
        for search_root in unit.search_roots:
            folder = str(search_root)
            depth = 0
            for part in parts:
                listing = self._listing(folder)
                # A src layout's unit folder contains src/ itself, which is no module name.
                hides_src = depth == 0 and part == "src" and search_root != unit.import_root
                if part in listing.folders and not hides_src:
                    folder = folder + os.sep + part
                    depth += 1
                    continue
                if part in listing.modules:
                    depth += 1
                break
            best = max(best, depth)
        self._prefix_cache[key] = best
        return best

    # Locating files and resolving names ----------------------------------------------

    def locate(self, path: Path) -> Location | None:
        """Return the unit and module name of a file, or None outside every unit."""
        # Plain string work: this runs once per file that flake8 checks.
        absolute = os.path.abspath(path)
        root_length = len(str(self.root))
        folder = os.path.dirname(absolute)
        unit = self._units_by_path.get(folder)
        while unit is None:
            parent = os.path.dirname(folder)
            if parent == folder or len(parent) < root_length:
                return None
            folder = parent
            unit = self._units_by_path.get(folder)
        for search_root in unit.search_roots:
            prefix = str(search_root) + os.sep
            if not absolute.startswith(prefix):
                continue
            parts = os.path.splitext(absolute[len(prefix) :])[0].split(os.sep)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            if not parts:
                return None
            return Location(unit, ".".join(parts), is_package)
        return None

    @cached_property
    def _units_by_path(self) -> dict[str, Unit]:
        return {str(unit.path): unit for unit in self.units}

    def resolve(self, name: str, importer: Unit) -> Resolution:
        """Return the unit an absolute imported name belongs to.

        The importer's own unit wins when it has the whole name, or a prefix at least as
        long as any other unit's; otherwise the unit with the longest existing prefix
        wins, and a tie between other units is ambiguous.
        """
        parts = name.split(".")
        own = self.prefix_length(importer, parts)
        if own == len(parts):
            return Resolution(importer, depth=own)
        best = own
        winners: list[Unit] = []
        for unit in self.owners.get(parts[0], ()):
            if unit == importer:
                continue
            length = self.prefix_length(unit, parts)
            if length > best:
                best = length
                winners = [unit]
            elif length == best and length > own:
                winners.append(unit)
        if not winners:
            if own:
                return Resolution(importer, depth=own)
            return self._resolve_by_path(parts)
        if len(winners) > 1:
            # A folder with no Python in it (a front end's utils/, say) is no rival.
            with_python = [unit for unit in winners if self._holds_python(unit, parts[:best])]
            if len(with_python) == 1:
                return Resolution(with_python[0], depth=best)
            return Resolution(None, ambiguous=tuple(with_python or winners), depth=best)
        return Resolution(winners[0], depth=best)

    def _holds_python(self, unit: Unit, parts: Sequence[str]) -> bool:
        """Return whether a name found in a unit is a module, or a folder with one below it.

        At most ``_PYTHON_SEARCH_LIMIT`` folders are listed; past that the name counts
        as Python, which keeps the search bounded on huge trees.
        """
        for search_root in unit.search_roots:
            parent = search_root.joinpath(*parts[:-1])
            if parts[-1] in self._listing(parent).modules:
                return True
            pending = [parent / parts[-1]]
            listed = 0
            while pending and listed < _PYTHON_SEARCH_LIMIT:
                folder = pending.pop()
                listing = self._listing(folder)
                listed += 1
                if listing.modules:
                    return True
                pending.extend(folder / name for name in sorted(listing.folders))
            if listed >= _PYTHON_SEARCH_LIMIT:
                return True
        return False

    def _resolve_by_path(self, parts: Sequence[str]) -> Resolution:
        head = parts[0]
        if head in self.names.app:
            app = self.app
            if app is not None:
                return Resolution(app, by_path=True)
        for kind, area_folders in (
            (Kind.SERVICE, self.names.services),
            (Kind.PACKAGE, self.names.packages),
        ):
            if head in area_folders and len(parts) > 1:
                wanted = parts[1]
                for unit in self.units:
                    if unit.kind is kind and wanted in (unit.name, unit.name.replace("-", "_")):
                        return Resolution(unit, by_path=True)
        return Resolution(None)

    @property
    def app(self) -> Unit | None:
        """The app unit, if the root has one."""
        for unit in self.units:
            if unit.kind is Kind.APP:
                return unit
        return None

    # Layers ----------------------------------------------------------------------------

    def layering_active(self, unit: Unit) -> bool:
        """Return whether a service has a core or ports folder in one of its layer bases.

        Decided per service when first asked, so one editor call lists one service.
        """
        if unit.kind is not Kind.SERVICE:
            return False
        active = self._layering.get(unit)
        if active is None:
            active = self._find_layering(unit)
            self._layering[unit] = active
        return active

    def _find_layering(self, unit: Unit) -> bool:
        opt_in = set(self.names.core) | set(self.names.ports)
        base_listing = self._listing(unit.import_root)
        if opt_in & base_listing.folders:
            return True
        return any(
            opt_in & self._listing(unit.import_root / package).folders
            for package in base_listing.folders
        )

    def layer_of(self, unit: Unit, module: str) -> str | None:
        """Return 'core', 'ports', 'adapters', 'main' or None for a module of a service.

        Only modules under the import root can be in a layer; a src-layout service's
        ``tests/`` is in none.
        """
        parts = module.split(".")
        base = unit.import_root
        for depth in (0, 1):
            if len(parts) <= depth:
                return None
            if depth == 1:
                if parts[0] not in self._listing(unit.import_root).folders:
                    return None
                base = unit.import_root / parts[0]
            part = parts[depth]
            listing = self._listing(base)
            if part in self.names.main and (part in listing.modules or part in listing.folders):
                return "main"
            if part in listing.folders:
                layer = self.names.layer_of_folder(part)
                if layer is not None:
                    return layer
        return None


# The maximum number of folders listed to learn whether a contested name has any Python.
_PYTHON_SEARCH_LIMIT = 200

_WORKSPACES: dict[tuple[Path, Names], Workspace] = {}


def _is_folder(path: Path) -> bool:
    """Return whether ``path`` is a folder, and False when it cannot be examined at all."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def find_root(start: Path, names: Names = DEFAULT_NAMES) -> Path | None:
    """Return the workspace root for files in ``start``.

    That is the nearest folder at or above ``start`` holding a services or packages
    folder, unless it lies inside a unit (or the app) of a farther such folder: a package
    may have a ``services`` subpackage of its own, and urllib3 1.26 ships a ``packages``
    one. The walk stops at the first folder with a ``.git`` entry, so a repository
    inside a home folder that happens to hold ``packages/`` keeps its own root. Only
    marker entries are examined, so the walk is bounded by the depth of ``start``.
    """
    markers = names.services + names.packages
    candidates = [Path(text) for text in _root_candidates(os.path.abspath(start), markers)]
    if not candidates:
        return None
    root = candidates[0]
    for outer in candidates[1:]:
        relative = root.relative_to(outer).parts
        # An area folder itself counts: services/packages/ is a service named 'packages'.
        inside_unit = relative[0] in markers or (
            relative[0] in names.app and _is_folder(outer / relative[0])
        )
        if inside_unit:
            root = outer
    return root


@functools.lru_cache(maxsize=4096)
def _root_candidates(folder: str, markers: tuple[str, ...]) -> tuple[str, ...]:
    """Return the folders at or above ``folder`` that hold a marker, nearest first,
    up to the first folder with a ``.git`` entry. Cached, so a tree's files share the
    look-ups of their common parents."""
    own = (folder,) if any(_is_folder(Path(folder) / marker) for marker in markers) else ()
    parent = os.path.dirname(folder)
    if parent == folder or os.path.lexists(os.path.join(folder, ".git")):
        return own
    return own + _root_candidates(parent, markers)


def clear_caches() -> None:
    """Forget every discovered workspace and root search of this process."""
    _WORKSPACES.clear()
    _root_candidates.cache_clear()


def get_workspace(root: Path, names: Names = DEFAULT_NAMES) -> Workspace:
    """Return the workspace for a root, discovering it once per process."""
    key = (Path(os.path.abspath(root)), names)
    workspace = _WORKSPACES.get(key)
    if workspace is None:
        workspace = Workspace.discover(key[0], names)
        _WORKSPACES[key] = workspace
    return workspace

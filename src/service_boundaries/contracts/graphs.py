"""Build grimp graphs for a whole workspace and judge every direct import in them.

grimp holds one Python namespace per graph, so units whose top-level names collide (two
services that each own ``app`` or ``tests``) cannot share a graph. Units are packed into
groups with no colliding names, and each group gets a graph of its own. Packages are
found from the workspace model, not from ``sys.path``, so no ``PYTHONPATH`` set-up is
needed, and each group caches under its own folder so that two ``app`` packages never
share cache entries.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grimp
from grimp.adaptors.filesystem import FileSystem as GrimpFileSystem
from grimp.application import usecases as grimp_usecases
from grimp.application.config import settings as grimp_settings
from grimp.application.ports.packagefinder import AbstractPackageFinder

from ..errors import BoundariesError
from ..imports import ImportedName, absolute_name, extract_imports
from ..rules import Violation, judge_resolved
from ..workspace import Kind, Unit, Workspace

logger = logging.getLogger(__name__)


class GraphBuildError(BoundariesError):
    """grimp could not build a graph for part of the workspace."""


@dataclass(frozen=True)
class Entry:
    """A top-level name of one unit: a package folder or a single module file."""

    name: str
    path: Path
    is_module: bool
    is_namespace: bool
    children: frozenset[str]


@dataclass
class Group:
    """Units whose top-level names can share one grimp graph."""

    units: list[Unit] = field(default_factory=list)
    entries: dict[str, list[tuple[Unit, Entry]]] = field(default_factory=dict)

    def accepts(self, unit_entries: list[Entry]) -> bool:
        """Return whether every name of a unit fits beside the names already in the group."""
        for entry in unit_entries:
            for _, other in self.entries.get(entry.name, ()):
                shareable = (
                    entry.is_namespace
                    and other.is_namespace
                    and not entry.children & other.children
                )
                if not shareable:
                    return False
        return True

    def add(self, unit: Unit, unit_entries: list[Entry]) -> None:
        """Add a unit and its names to the group."""
        self.units.append(unit)
        for entry in unit_entries:
            self.entries.setdefault(entry.name, []).append((unit, entry))

    @property
    def package_names(self) -> list[str]:
        """Top-level package names grimp should scan, sorted."""
        return sorted(
            name
            for name, owned in self.entries.items()
            if not any(entry.is_module for _, entry in owned)
        )

    def cache_key(self, root: Path) -> str:
        """Return a key that changes whenever the group's folders change."""
        text = "\n".join(
            f"{name}={entry.path}"
            for name in sorted(self.entries)
            for _, entry in self.entries[name]
        )
        return hashlib.sha1(f"{root}\n{text}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class GraphFinding:
    """A violation on one direct import edge of a grimp graph."""

    violation: Violation
    importer: str
    imported: str
    graph_imported: str
    line: int
    line_contents: str
    path: Path
    group: int


@dataclass
class CheckedWorkspace:
    """The graphs built for a workspace and every violation found in them."""

    graphs: list[grimp.ImportGraph]
    findings: list[GraphFinding]
    module_count: int
    import_count: int


def unit_entries(workspace: Workspace, unit: Unit) -> list[Entry]:
    """List a unit's top-level names with the folder or file behind each."""
    entries: dict[str, Entry] = {}
    for search_root in unit.search_roots:
        listing = workspace._listing(search_root)
        for name in sorted(listing.folders):
            if name in entries or name == "__pycache__":
                continue
            if search_root != unit.import_root and name == "src":
                continue
            folder = search_root / name
            children = workspace._listing(folder)
            entries[name] = Entry(
                name=name,
                path=folder,
                is_module=False,
                is_namespace=not (folder / "__init__.py").is_file(),
                children=children.folders | children.modules,
            )
        for name in sorted(listing.modules):
            if name not in entries:
                entries[name] = Entry(name, search_root / f"{name}.py", True, False, frozenset())
    return list(entries.values())


def plan_groups(workspace: Workspace) -> list[Group]:
    """Pack the units into as few groups as their names allow, in discovery order."""
    groups: list[Group] = []
    for unit in workspace.units:
        entries = unit_entries(workspace, unit)
        for group in groups:
            if group.accepts(entries):
                group.add(unit, entries)
                break
        else:
            group = Group()
            group.add(unit, entries)
            groups.append(group)
    return groups


class _GroupPackageFinder(AbstractPackageFinder):
    """Tell grimp where each top-level package of a group lives."""

    def __init__(self, group: Group) -> None:
        self.group = group

    def determine_package_directories(self, package_name: str, file_system: object) -> set[str]:
        return {str(entry.path) for _, entry in self.group.entries[package_name]}


class _BoundedFileSystem(GrimpFileSystem):
    """grimp's file system, walking folders by the workspace's symbolic link policy.

    grimp walks each package with ``os.walk(followlinks=True)``: it follows a link that
    leaves the root, and a link back to a folder above it makes the walk endless (two
    such links make it exponential). This walk follows a link only when
    ``Workspace.link_allowed`` does, lists regular files only (a fifo named ``x.py``
    would block the scanner), and records unreadable folders as workspace problems
    instead of skipping them silently.

    It also records *orphan* folders: a folder without ``__init__.py`` inside a regular
    package. Python imports it as a namespace package (flask 3.0 keeps ``flask/sansio/``
    that way), but grimp leaves it and everything below it out of the graph.
    """

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.orphans: list[str] = []
        self._regular_packages: set[str] = set()

    def walk(self, directory_name: str) -> Iterator[tuple[str, list[str], list[str]]]:
        # Depth first, parents before children, and the caller may prune ``folders``
        # in place, as with os.walk.
        pending = [directory_name]
        while pending:
            folder = pending.pop()
            folders: list[str] = []
            files: list[str] = []
            try:
                with os.scandir(folder) as entries:
                    for entry in sorted(entries, key=lambda item: item.name):
                        kind = self.workspace.entry_kind(entry, Path(folder))
                        if kind == "folder":
                            folders.append(entry.name)
                        elif kind == "file":
                            files.append(entry.name)
            except OSError as error:
                self.workspace.record_unreadable(
                    Path(folder), error, "the modules in it were not checked"
                )
            if "__init__.py" in files:
                self._regular_packages.add(folder)
            elif os.path.dirname(folder) in self._regular_packages:
                self.orphans.append(folder)
            yield folder, folders, files
            pending.extend(os.path.join(folder, name) for name in reversed(folders))


@contextlib.contextmanager
def _grimp_settings(finder: AbstractPackageFinder, file_system: GrimpFileSystem) -> Iterator[None]:
    # NOTE: grimp reads its package finder and file system from a module-level settings
    # object (grimp 3.x); both are swapped for the duration of one build and always
    # restored.
    previous = (grimp_settings.PACKAGE_FINDER, grimp_settings.FILE_SYSTEM)
    grimp_settings.configure(PACKAGE_FINDER=finder, FILE_SYSTEM=file_system)
    previous_is_external = getattr(grimp_usecases, "_is_external", None)
    if previous_is_external is not None:
        grimp_usecases._is_external = _RootNameTest()
    try:
        yield
    finally:
        grimp_settings.configure(PACKAGE_FINDER=previous[0], FILE_SYSTEM=previous[1])
        if previous_is_external is not None:
            grimp_usecases._is_external = previous_is_external


class _RootNameTest:
    """A faster stand-in for grimp's ``_is_external(module, package_modules)``.

    grimp 3.20 compares each import with every root package in turn, which took most of
    a contract check on a 10,000-module tree; this looks the name and its parents up in
    a set built once per graph. It is swapped in only for the duration of one build.
    """

    def __init__(self) -> None:
        self._names: tuple[int, frozenset[str]] | None = None

    def __call__(self, module: object, package_modules: set[object]) -> bool:
        if self._names is None or self._names[0] != id(package_modules):
            names = frozenset(str(getattr(item, "name", item)) for item in package_modules)
            self._names = (id(package_modules), names)
        root_names = self._names[1]
        name = str(getattr(module, "name", module))
        while name:
            if name in root_names:
                return False
            name = name.rpartition(".")[0]
        return True


def build_group_graph(
    workspace: Workspace,
    group: Group,
    exclude_type_checking: bool,
    cache_dir: Path | None,
) -> grimp.ImportGraph:
    """Build one group's graph, adding the imports of top-level module files to it."""
    group_cache: str | None = None
    if cache_dir is not None:
        group_cache = str(cache_dir / "service-boundaries" / group.cache_key(workspace.root))
        try:
            os.makedirs(group_cache, exist_ok=True)
        except OSError as error:
            # grimp's own error for this names no path, so the message names the folder and field.
            raise GraphBuildError(
                f"cannot create the cache folder {group_cache}: {error.strerror or error}; "
                f"set the contract's cache_dir field (now {str(cache_dir)!r}) to a folder "
                "that can be created and written, or to 'none' to disable the cache."
            ) from None
    names = group.package_names
    graph = grimp.ImportGraph()
    file_system = _BoundedFileSystem(workspace)
    if names:
        try:
            with _grimp_settings(_GroupPackageFinder(group), file_system):
                graph = grimp.build_graph(
                    *names,
                    include_external_packages=True,
                    exclude_type_checking_imports=exclude_type_checking,
                    cache_dir=group_cache,
                )
        except grimp.exceptions.SourceSyntaxError as error:
            raise GraphBuildError(_syntax_error_message(workspace, error)) from None
        except UnicodeError as error:
            # grimp names the file in the message; there is no attribute to read it from.
            raise GraphBuildError(
                f"{error}; save the file as UTF-8, or declare its encoding on its first or "
                "second line, for example '# -*- coding: latin-1 -*-', then run again."
            ) from None
        except OSError as error:
            # grimp reports a file it cannot read as 'Failed to read file <path>: <why>'.
            raise GraphBuildError(
                f"cannot build the import graph of {', '.join(names)}: {error}; make the "
                "files under the workspace root readable by the user running the check, "
                "then run again."
            ) from None
        except BaseException as error:
            # grimp 3.20 panics (a BaseException from its Rust core) on a relative
            # import that climbs two or more levels above its top-level package. The
            # group is then scanned here instead, with the plugin's own extractor.
            if type(error).__name__ != "PanicException":
                raise
            logger.warning("grimp failed on %s (%s); scanning them from source", names, error)
            for name in names:
                for unit, entry in group.entries[name]:
                    _add_package_from_source(workspace, unit, entry, graph, exclude_type_checking)
            file_system.orphans.clear()
    for orphan in file_system.orphans:
        _add_orphan_from_source(workspace, group, Path(orphan), graph, exclude_type_checking)
    _add_top_level_modules(workspace, group, graph, exclude_type_checking)
    return graph


def _add_orphan_from_source(
    workspace: Workspace,
    group: Group,
    folder: Path,
    graph: grimp.ImportGraph,
    exclude_type_checking: bool,
) -> None:
    """Add the modules grimp left out below an orphan folder, parsed from source."""
    for owned in group.entries.values():
        for unit, entry in owned:
            if not entry.is_module and folder.is_relative_to(entry.path):
                _add_package_from_source(
                    workspace, unit, entry, graph, exclude_type_checking, start=folder
                )
                return


def _syntax_error_message(workspace: Workspace, error: grimp.exceptions.SourceSyntaxError) -> str:
    """Return one readable sentence for a file grimp could not parse: where and why."""
    path = Path(error.filename)
    line = error.lineno or "?"
    reason = _python_parse_error(path)
    if reason is None:
        text = (error.text or "").strip()
        if len(text) > 80:
            text = text[:77] + "..."
        reason = f"invalid syntax in {text!r}" if text else "invalid syntax"
    return (
        f"cannot parse {workspace.display(path)}, line {line}: {reason}; fix the file "
        "(flake8 reports it as E999), then run again."
    )


def _python_parse_error(path: Path) -> str | None:
    """Return why Python's own parser rejects a file, or None if it accepts it.

    Only called once a file has failed grimp's parser, to say more than grimp does (it
    gives the line's text, which is empty for a line containing a null byte).
    """
    try:
        ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as error:
        return error.msg
    except ValueError as error:
        return str(error)
    except (RecursionError, MemoryError):
        return "expressions nested too deeply for the parser"
    except OSError:
        return None
    return None


def _add_package_from_source(
    workspace: Workspace,
    unit: Unit,
    entry: Entry,
    graph: grimp.ImportGraph,
    exclude_type_checking: bool,
    start: Path | None = None,
) -> None:
    """Add one top-level package to a graph by parsing its files, the way grimp would.

    ``start`` limits the scan to one folder inside the package.
    """
    base = entry.path.parent
    for folder, subfolders, files in _BoundedFileSystem(workspace).walk(str(start or entry.path)):
        subfolders[:] = sorted(name for name in subfolders if name.isidentifier())
        for file_name in sorted(files):
            if not file_name.endswith(".py") or not file_name[:-3].isidentifier():
                continue
            path = Path(folder) / file_name
            parts = list(path.relative_to(base).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            module = ".".join(parts)
            _add_unsquashed(graph, module)
            _add_imports_from_source(
                workspace, unit, module, is_package, path, graph, exclude_type_checking
            )


def _add_imports_from_source(
    workspace: Workspace,
    unit: Unit,
    module: str,
    is_package: bool,
    path: Path,
    graph: grimp.ImportGraph,
    exclude_type_checking: bool,
) -> None:
    source = _read_source(path)
    if source is None:
        return
    lines, tree = source
    for imported in extract_imports(tree, exclude_type_checking):
        full = absolute_name(imported, module, is_package)
        if full is None:
            continue
        resolution = workspace.resolve(full, unit)
        if resolution.unit is None and not resolution.ambiguous:
            if not _is_path_style(workspace, full):
                continue
        if resolution.unit == unit and resolution.depth:
            graph_name = ".".join(full.split(".")[: resolution.depth])
            squashed = False
        else:
            graph_name = full.split(".")[0]
            squashed = True
        if graph_name not in graph.modules:
            graph.add_module(graph_name, is_squashed=squashed)
        graph.add_import(
            importer=module,
            imported=graph_name,
            line_number=imported.line,
            line_contents=_line(lines, imported.line),
        )


def _is_path_style(workspace: Workspace, name: str) -> bool:
    head = name.split(".")[0]
    names = workspace.names
    return head in names.app or head in names.services or head in names.packages


def _add_top_level_modules(
    workspace: Workspace, group: Group, graph: grimp.ImportGraph, exclude_type_checking: bool
) -> None:
    """Add single-file top-level modules, which grimp does not take as packages."""
    for name, owned in group.entries.items():
        for unit, entry in owned:
            if entry.is_module:
                _add_unsquashed(graph, name)
                _add_imports_from_source(
                    workspace, unit, name, False, entry.path, graph, exclude_type_checking
                )


def _add_unsquashed(graph: grimp.ImportGraph, module: str) -> None:
    """Add a module, turning grimp's external placeholder for it into a real node."""
    if module in graph.modules and graph.is_module_squashed(module):
        # grimp saw imports of this module before it was known, and cannot unsquash.
        edges = [
            detail
            for importer in graph.find_modules_that_directly_import(module)
            for detail in graph.get_import_details(importer=importer, imported=module)
        ]
        graph.remove_module(module)
        graph.add_module(module)
        for detail in edges:
            graph.add_import(
                importer=detail["importer"],
                imported=module,
                line_number=detail["line_number"],
                line_contents=detail["line_contents"],
            )
    else:
        graph.add_module(module)


def _read_source(path: Path) -> tuple[list[str], ast.Module] | None:
    try:
        data = path.read_bytes()
        tree = ast.parse(data, filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as error:
        logger.warning("cannot read %s: %s", path, error)
        return None
    return data.decode("utf-8", errors="replace").splitlines(), tree


def _line(lines: list[str], number: int) -> str:
    if 0 < number <= len(lines):
        return lines[number - 1].strip()
    return ""


class _GroupJudge:
    """Judge the edges of one group's graph."""

    def __init__(
        self, workspace: Workspace, group: Group, index: int, public_api: bool = False
    ) -> None:
        self.workspace = workspace
        self.group = group
        self.index = index
        self.public_api = public_api
        self._sources: dict[Path, tuple[list[str], list[ImportedName]] | None] = {}

    def owner(self, module: str) -> tuple[Unit, Entry] | None:
        parts = module.split(".")
        owned = self.group.entries.get(parts[0])
        if not owned:
            return None
        if len(owned) == 1:
            return owned[0]
        for unit, entry in owned:
            if len(parts) > 1 and parts[1] in entry.children:
                return unit, entry
        return owned[0]

    def module_path(self, entry: Entry, module: str) -> Path:
        if entry.is_module:
            return entry.path
        relative = module.split(".")[1:]
        candidate = entry.path.joinpath(*relative)
        as_file = candidate.with_suffix(".py") if relative else candidate / "__init__.py"
        if relative and as_file.is_file():
            return as_file
        return candidate / "__init__.py"

    def findings(self, graph: grimp.ImportGraph) -> Iterator[GraphFinding]:
        checked = set(self.group.units)
        for importer in sorted(graph.modules):
            if graph.is_module_squashed(importer):
                continue
            owner = self.owner(importer)
            if owner is None or owner[0] not in checked:
                continue
            unit, entry = owner
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                yield from self._judge_edge(graph, unit, entry, importer, imported)

    def _judge_edge(
        self, graph: grimp.ImportGraph, unit: Unit, entry: Entry, importer: str, imported: str
    ) -> Iterator[GraphFinding]:
        squashed = graph.is_module_squashed(imported)
        if self._is_plainly_allowed(unit, imported, squashed):
            return
        # With the public-API rule, an import of another group's package needs its full
        # name too: grimp keeps only 'money' of 'money.fmt'.
        from_source = (
            self._needs_full_name(imported)
            or (self.public_api and squashed and self._is_package_name(imported))
        ) and not self._is_own_module(unit, imported, squashed)
        verdict = None
        if not from_source:
            resolution = self.workspace.resolve(imported, unit)
            verdict = judge_resolved(
                self.workspace, unit, importer, imported, resolution, public_api=self.public_api
            )
            if verdict is None:
                return
        path = self.module_path(entry, importer)
        is_package = path.name == "__init__.py"
        for detail in graph.get_import_details(importer=importer, imported=imported):
            line = detail["line_number"]
            violations: list[Violation] = []
            if squashed or from_source:
                # grimp names an import from outside the graph by its top-level name
                # only, and one it cannot find inside by its nearest parent. The full
                # name comes from the source line, for the message and for names that
                # several units own.
                violations = self._judge_source_line(
                    path, unit, importer, is_package, line, imported
                )
            if not violations and verdict is not None:
                violations = [verdict]
            for violation in violations:
                yield GraphFinding(
                    violation=violation,
                    importer=importer,
                    imported=violation.imported,
                    graph_imported=imported,
                    line=line,
                    line_contents=detail["line_contents"],
                    path=path,
                    group=self.index,
                )

    def _is_plainly_allowed(self, unit: Unit, imported: str, squashed: bool) -> bool:
        """Return whether an edge needs no resolution, as most edges of a large tree do.

        That is an import from outside the workspace (the standard library, third-party
        code), or one inside a unit without layers whose top-level name no other unit
        owns.
        """
        head = imported.partition(".")[0]
        owners = self.workspace.owners.get(head, ())
        if squashed:
            return not owners and not _is_path_style(self.workspace, imported)
        if len(owners) != 1 or owners[0] != unit:
            return False
        return not self.workspace.layering_active(unit)

    def _is_own_module(self, unit: Unit, imported: str, squashed: bool) -> bool:
        """Return whether grimp's name is a plain module of the importer's own unit.

        A package does not count: grimp names an import of a submodule it cannot find
        by the nearest package above it, and another unit may have that submodule.
        """
        if squashed:
            return False
        owner = self.owner(imported)
        if owner is None or owner[0] != unit:
            return False
        return self.module_path(owner[1], imported).name != "__init__.py"

    def _is_package_name(self, imported: str) -> bool:
        owners = self.workspace.owners.get(imported.split(".")[0], ())
        return any(owner.kind is Kind.PACKAGE for owner in owners)

    def _needs_full_name(self, imported: str) -> bool:
        if _is_path_style(self.workspace, imported):
            return True
        return len(self.workspace.owners.get(imported.split(".")[0], ())) > 1

    def _judge_source_line(
        self, path: Path, unit: Unit, module: str, is_package: bool, line: int, head: str
    ) -> list[Violation]:
        """Judge the full names imported on one line whose graph name was cut short."""
        parsed = self._parsed(path)
        if parsed is None:
            return []
        violations: dict[str, Violation] = {}
        for imported in parsed[1]:
            if imported.line != line:
                continue
            full = absolute_name(imported, module, is_package)
            if full is None:
                continue
            if full != head and not full.startswith(head + "."):
                continue
            resolution = self.workspace.resolve(full, unit)
            violation = judge_resolved(
                self.workspace, unit, module, full, resolution, public_api=self.public_api
            )
            if violation is not None:
                violations.setdefault(violation.code, violation)
        return list(violations.values())

    def _parsed(self, path: Path) -> tuple[list[str], list[ImportedName]] | None:
        if path not in self._sources:
            source = _read_source(path)
            if source is None:
                self._sources[path] = None
            else:
                self._sources[path] = (source[0], list(extract_imports(source[1])))
        return self._sources[path]


def check_workspace(
    workspace: Workspace,
    exclude_type_checking: bool = False,
    cache_dir: Path | None = None,
    progress: object = None,
    public_api: bool = False,
) -> CheckedWorkspace:
    """Build every group's graph and return all violations found in it.

    With ``public_api``, imports of another package's submodules are BND106 findings.
    """
    groups = plan_groups(workspace)
    graphs = []
    findings: list[GraphFinding] = []
    module_count = 0
    import_count = 0
    for index, group in enumerate(groups):
        logger.info(
            "building graph %d/%d for %s",
            index + 1,
            len(groups),
            ", ".join(unit.describe() for unit in group.units),
        )
        if callable(progress):
            progress(index, len(groups), group)
        graph = build_group_graph(workspace, group, exclude_type_checking, cache_dir)
        graphs.append(graph)
        module_count += len(graph.modules)
        import_count += graph.count_imports()
        findings.extend(_GroupJudge(workspace, group, index, public_api).findings(graph))
    if workspace.found_problems:
        # A check that silently skipped part of the workspace would pass when it should
        # not, so every problem met while reading the workspace stops the contract, each
        # on its own line with its code (flake8 reports the same codes).
        problems = "\n".join(
            f"{problem.code} {problem}"
            for problem in sorted(workspace.found_problems, key=lambda item: str(item.path))
        )
        raise GraphBuildError(
            "the workspace could not be read completely, so the contract was not checked:\n"
            + problems
        )
    return CheckedWorkspace(graphs, findings, module_count, import_count)


_CACHE: dict[tuple[object, ...], CheckedWorkspace] = {}


def checked_workspace(
    workspace: Workspace,
    exclude_type_checking: bool,
    cache_dir: Path | None,
    progress: object = None,
    public_api: bool = False,
) -> CheckedWorkspace:
    """Return the checked workspace, built once per process for both contract types."""
    key = (
        workspace.root,
        workspace.names,
        exclude_type_checking,
        cache_dir,
        public_api,
        os.getpid(),
    )
    result = _CACHE.get(key)
    if result is None:
        result = check_workspace(
            workspace, exclude_type_checking, cache_dir, progress, public_api=public_api
        )
        _CACHE[key] = result
    return result

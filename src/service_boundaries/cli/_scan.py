"""Run the engine over the Python files of a workspace: findings, unreadable files, edges.

Each file is read and parsed with ``ast``, never imported. ``check`` reports the
findings; ``graph`` uses the edges between units and between layers.
"""

from __future__ import annotations

import ast
import fnmatch
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..checker import check_tree
from ..imports import absolute_name, extract_imports
from ..rules import Violation, judge_resolved
from ..workspace import Location, Problem, Unit, Workspace

logger = logging.getLogger(__name__)

# Folders never walked into, besides hidden ones and virtual environments (folders with
# a pyvenv.cfg file).
SKIPPED_FOLDERS = ("__pycache__", "node_modules", "*.egg-info", "*.egg")

# The comment flake8 7 honours: a bare "noqa" comment, or "noqa:" followed by codes. Like
# flake8, a listed code also silences every code it is a prefix of, and codes are
# compared as written, so a lower-case "bnd101" silences nothing.
NOQA = re.compile(
    r"# noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)

NO_LAYER = "(no layer)"


@dataclass(frozen=True)
class FileFinding:
    """A violation at a position in a file."""

    path: Path
    line: int
    column: int
    violation: Violation
    location: Location


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or parsed; its imports were not checked."""

    path: Path
    line: int | None
    message: str


UnitEdge = tuple[Unit, Unit]
LayerEdge = tuple[Unit, str, str]


@dataclass
class ScanResult:
    """The findings, unreadable files, workspace problems and edges of one run."""

    files: int = 0
    findings: list[FileFinding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unit_edges: Counter[UnitEdge] = field(default_factory=Counter)
    unit_edge_codes: dict[UnitEdge, Counter[str]] = field(default_factory=dict)
    layer_edges: Counter[LayerEdge] = field(default_factory=Counter)
    layer_edge_codes: dict[LayerEdge, Counter[str]] = field(default_factory=dict)


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SourceFile:
    """A Python file of the workspace, with its unit and module name."""

    path: Path
    location: Location


def find_python_files(
    workspace: Workspace, paths: Sequence[Path] = (), exclude: Sequence[str] = ()
) -> list[SourceFile]:
    """Return the ``.py`` files under ``paths`` (default: every unit) that are in a unit.

    Files outside every unit are left out, as the flake8 plugin reports nothing for them.
    """
    starts = [Path(os.path.abspath(path)) for path in paths] or [
        unit.path for unit in workspace.units
    ]
    found: dict[Path, SourceFile] = {}
    for start in starts:
        if start.is_file():
            candidates: Iterable[Path] = [start]
        else:
            candidates = _walk(start, workspace.root, exclude)
        for path in candidates:
            if path.suffix != ".py" or path in found:
                continue
            location = workspace.locate(path)
            if location is not None:
                found[path] = SourceFile(path, location)
    return [found[path] for path in sorted(found)]


def _walk(start: Path, root: Path, exclude: Sequence[str]) -> Iterable[Path]:
    for folder, subfolders, files in os.walk(start):
        folder_path = Path(folder)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not _is_skipped(folder_path / name, root, exclude)
            and not (folder_path / name / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            path = folder_path / name
            if name.endswith(".py") and not _is_excluded(path, root, exclude):
                yield path


def _is_skipped(path: Path, root: Path, exclude: Sequence[str]) -> bool:
    name = path.name
    if name.startswith(".") or any(fnmatch.fnmatch(name, pattern) for pattern in SKIPPED_FOLDERS):
        return True
    return _is_excluded(path, root, exclude)


def _is_excluded(path: Path, root: Path, exclude: Sequence[str]) -> bool:
    """Return whether a pattern matches the file or folder name, or its path from the root."""
    if not exclude:
        return False
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return any(
        fnmatch.fnmatch(path.name, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/"))
        for pattern in exclude
    )


def scan(
    workspace: Workspace,
    files: Sequence[SourceFile],
    exclude_type_checking: bool = False,
    honour_noqa: bool = True,
    edges: bool = False,
    progress: Progress | None = None,
    public_api: bool = False,
) -> ScanResult:
    """Check every file; with ``edges``, also count imports between units and layers.

    The result's ``problems`` are the workspace problems (BND9xx) found while discovering
    the workspace and resolving the imports.
    """
    result = ScanResult()
    for index, source in enumerate(files):
        if progress is not None:
            progress(index, len(files))
        path, location = source.path, source.location
        parsed = _parse(path)
        if isinstance(parsed, FileError):
            logger.info("skipping %s: %s", path, parsed.message)
            result.errors.append(parsed)
            continue
        lines, tree = parsed
        result.files += 1
        silenced = _noqa_lines(lines) if honour_noqa else {}
        findings = check_tree(
            tree, workspace, location, exclude_type_checking, public_api=public_api
        )
        for finding in findings:
            code = finding.violation.code
            codes = silenced.get(finding.line)
            if codes is not None and (not codes or code.startswith(tuple(codes))):
                continue
            result.findings.append(
                FileFinding(path, finding.line, finding.column, finding.violation, location)
            )
        if edges:
            _count_edges(workspace, location, tree, exclude_type_checking, public_api, result)
    if progress is not None:
        progress(len(files), len(files))
    result.problems = list(workspace.found_problems)
    return result


def _parse(path: Path) -> tuple[list[str], ast.Module] | FileError:
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileError(path, None, f"cannot read the file: {error.strerror or error}")
    try:
        tree = ast.parse(data, filename=str(path))
    except SyntaxError as error:
        return FileError(path, error.lineno, f"cannot parse the file: {error.msg}")
    except ValueError as error:
        # Python 3.11 raises ValueError for a source with null bytes.
        return FileError(path, None, f"cannot parse the file: {error}")
    return data.decode("utf-8", errors="replace").splitlines(), tree


def _noqa_lines(lines: list[str]) -> dict[int, tuple[str, ...]]:
    """Map each line with a noqa comment to the codes it silences (empty: every code).

    As in flake8 7 for tree plugins, the comment counts only on the line a finding is
    reported at, which for a multi-line import is its first line.
    """
    silenced: dict[int, tuple[str, ...]] = {}
    for number, text in enumerate(lines, start=1):
        if "noqa" not in text.lower():
            continue
        match = NOQA.search(text)
        if match is None:
            continue
        raw = match.group("codes")
        silenced[number] = tuple(code for code in re.split(r"[,\s]+", raw) if code) if raw else ()
    return silenced


def _count_edges(
    workspace: Workspace,
    location: Location,
    tree: ast.Module,
    exclude_type_checking: bool,
    public_api: bool,
    result: ScanResult,
) -> None:
    unit = location.unit
    layered = workspace.layering_active(unit)
    importer_layer = workspace.layer_of(unit, location.module) if layered else None
    for imported in extract_imports(tree, exclude_type_checking):
        name = absolute_name(imported, location.module, location.is_package)
        if name is None:
            continue
        resolution = workspace.resolve(name, unit)
        target = resolution.unit
        if target is None:
            continue
        violation = judge_resolved(
            workspace, unit, location.module, name, resolution, public_api=public_api
        )
        if target != unit:
            _add(result.unit_edges, result.unit_edge_codes, (unit, target), violation)
            continue
        if layered and not resolution.by_path:
            depth = resolution.depth or len(name.split("."))
            imported_layer = workspace.layer_of(unit, ".".join(name.split(".")[:depth]))
            key = (unit, importer_layer or NO_LAYER, imported_layer or NO_LAYER)
            _add(result.layer_edges, result.layer_edge_codes, key, violation)


def _add(
    counts: Counter[Any], codes: dict[Any, Counter[str]], key: Any, violation: Violation | None
) -> None:
    counts[key] += 1
    if violation is not None:
        codes.setdefault(key, Counter())[violation.code] += 1


class ProgressReporter:
    """Write 'checked N/M files' to a stream at most once per ``interval`` seconds, and
    only in runs of at least ``min_files`` files."""

    def __init__(self, stream: TextIO, interval: float = 1.0, min_files: int = 200) -> None:
        self.stream = stream
        self.interval = interval
        self.min_files = min_files
        self._last = time.monotonic()
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_files:
            return
        now = time.monotonic()
        finished = done == total
        if not finished and now - self._last < self.interval:
            return
        if finished and not self._shown:
            return
        self._last = now
        self._shown = True
        self.stream.write(f"service-boundaries: checked {done}/{total} files\n")
        self.stream.flush()

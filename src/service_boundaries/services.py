"""Service layout checks (BND3xx): what every ``services/<name>/`` folder must hold.

A service is deployable on its own. It has its own multi-stage Dockerfile without a
``HEALTHCHECK``, because the orchestrator probes it. It serves ``/livez`` and
``/readyz``, handles SIGTERM and reads its environment in its own ``config`` module. It
has an entry point, its own tests and its own build metadata, and it is listed in the
production compose file when the repository has one.

Like the import rules, these checks read files and never import or run them: Python
sources are parsed with ``ast``, Dockerfiles with the small parser below, compose files
with PyYAML and ``pyproject.toml`` with ``tomllib``.

Any check can be turned off for the whole repository or for one service, through a
disable list given to the front end (``BND306``, ``billing:BND306``, ``frontend:*``) or
through ``[tool.service-boundaries] disable = [...]`` in a service's ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import configparser
import difflib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError
from .rules import CODES
from .workspace import Kind, Unit, Workspace

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MISSING_DOCKERFILE = "BND301"
HEALTHCHECK = "BND302"
SINGLE_STAGE = "BND303"
NO_LIVEZ = "BND304"
NO_READYZ = "BND305"
NO_SIGTERM = "BND306"
NO_CONFIG = "BND307"
NO_ENTRY_POINT = "BND308"
NO_TESTS = "BND309"
NO_BUILD_METADATA = "BND310"
NOT_IN_COMPOSE = "BND311"

SERVICE_CODES: tuple[str, ...] = (
    MISSING_DOCKERFILE,
    HEALTHCHECK,
    SINGLE_STAGE,
    NO_LIVEZ,
    NO_READYZ,
    NO_SIGTERM,
    NO_CONFIG,
    NO_ENTRY_POINT,
    NO_TESTS,
    NO_BUILD_METADATA,
    NOT_IN_COMPOSE,
)

DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")
CONFIG_MODULE = "config"
TEST_FOLDERS = ("tests", "test")

# Searched in this order at the root when no compose file is configured: a file named
# for production first, then the compose specification's default names.
COMPOSE_FILE_NAMES = tuple(
    f"{stem}{suffix}.{extension}"
    for suffix in (".prod", ".production", "")
    for stem in ("compose", "docker-compose")
    for extension in ("yaml", "yml")
)

AUTO = "auto"
NONE_VALUES = frozenset({"none", "false", "off", ""})

PYPROJECT_TABLE = "service-boundaries"


# Disabling checks -------------------------------------------------------------------


@dataclass(frozen=True)
class Disabled:
    """Codes turned off for every service, and for single services by folder name.

    ``"*"`` means every service code.
    """

    everywhere: frozenset[str] = frozenset()
    per_service: tuple[tuple[str, frozenset[str]], ...] = ()

    def codes_for(self, service: str) -> frozenset[str]:
        """Return the codes turned off for one service by this list."""
        codes = set(self.everywhere)
        for name, service_codes in self.per_service:
            if name == service:
                codes |= service_codes
        return _expand(codes)

    @property
    def services(self) -> frozenset[str]:
        """The service names this list mentions."""
        return frozenset(name for name, _ in self.per_service)


def _expand(codes: Iterable[str]) -> frozenset[str]:
    codes = set(codes)
    if "*" in codes:
        return frozenset(SERVICE_CODES)
    return frozenset(codes)


def parse_disable(raw: str | Iterable[str] | None, source: str) -> Disabled:
    """Build a disable list from ``CODE`` and ``service:CODE`` entries.

    Entries are separated by commas, spaces or new lines, and ``CODE`` may be ``*``.
    Every unknown code is reported at once, with the nearest known one.
    """
    if raw is None:
        return Disabled()
    text = raw if isinstance(raw, str) else "\n".join(str(item) for item in raw)
    text = re.sub(r"\s*:\s*", ":", text)
    everywhere: set[str] = set()
    per_service: dict[str, set[str]] = {}
    problems: list[str] = []
    for entry in re.split(r"[\s,]+", text.strip()):
        if not entry:
            continue
        service, sep, code = entry.rpartition(":")
        code = code.upper()
        problem = _code_problem(code)
        if problem:
            problems.append(f"{entry!r}: {problem}")
            continue
        if sep and not service:
            problems.append(f"{entry!r}: give the service folder name before ':'")
        elif sep:
            per_service.setdefault(service, set()).add(code)
        else:
            everywhere.add(code)
    if problems:
        prefix = f"{source}: " if source else ""
        raise ConfigError(prefix + "; ".join(problems) + ".")
    return Disabled(
        frozenset(everywhere),
        tuple((name, frozenset(codes)) for name, codes in sorted(per_service.items())),
    )


def _code_problem(code: str) -> str | None:
    if code == "*" or code in SERVICE_CODES:
        return None
    hint = difflib.get_close_matches(code, SERVICE_CODES, n=1)
    did_you_mean = f" (did you mean {hint[0]})" if hint else ""
    return (
        f"unknown code {code!r}; service checks are {SERVICE_CODES[0]} to "
        f"{SERVICE_CODES[-1]}, or '*' for all{did_you_mean}"
    )


# Dockerfiles ------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
# `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`; not `<<<word` (a here-string) nor `1<<2`.
_HEREDOC = re.compile(r"(?<![<\w])<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined and comments dropped."""

    keyword: str
    """The instruction in upper case, for example ``HEALTHCHECK``."""
    arguments: str
    line: int
    """The 1-based line the instruction starts on."""


@dataclass(frozen=True)
class Stage:
    """One build stage: its FROM instruction and the instructions up to the next FROM."""

    index: int
    start: Instruction
    base: str
    name: str | None
    instructions: tuple[Instruction, ...]

    def describe(self) -> str:
        """Return the stage as messages name it: its alias, or its number from 1."""
        return repr(self.name) if self.name else f"{self.index + 1}"


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile: its instructions in order and its escape character."""

    instructions: tuple[Instruction, ...]
    escape: str = "\\"

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The build stages, one per FROM; instructions before the first FROM are in none."""
        starts = [i for i, ins in enumerate(self.instructions) if ins.keyword == "FROM"]
        stages = []
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(self.instructions)
            first, *rest = self.instructions[start:end]
            base, name = _from_arguments(first.arguments)
            stages.append(Stage(index, first, base, name, tuple(rest)))
        return tuple(stages)

    def stage_of(self, instruction: Instruction) -> Stage | None:
        """Return the stage an instruction belongs to, or None before the first FROM."""
        for stage in self.stages:
            if instruction in stage.instructions:
                return stage
        return None


def parse_dockerfile(text: str) -> Dockerfile:
    """Parse Dockerfile text the way BuildKit reads it, as far as these checks need.

    Parser directives at the top are read: ``# escape=`` changes the continuation
    character, and ``# syntax=`` and ``# check=`` are skipped. Comments and blank lines
    are dropped, also inside continuation lines. Instruction names are case-insensitive.
    The bodies of RUN, COPY and ADD heredocs are skipped, because their lines are data.
    """
    lines = text.splitlines()
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    escape = "\\"
    index = 0
    seen: set[str] = set()
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index].strip())
        if match is None:
            break
        key, value = match.group(1).lower(), match.group(2)
        if key not in _KNOWN_DIRECTIVES or key in seen:
            break
        seen.add(key)
        if key == "escape" and value in ("\\", "`"):
            escape = value
        index += 1

    continues = re.compile(re.escape(escape) + r"[ \t]*$")
    instructions: list[Instruction] = []
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index + 1
        text_line = lines[index].lstrip()
        parts: list[str] = []
        index += 1
        while True:
            match = continues.search(text_line)
            if match is None:
                parts.append(text_line)
                break
            parts.append(text_line[: match.start()])
            while index < len(lines) and _is_blank_or_comment(lines[index]):
                index += 1
            if index >= len(lines):
                break
            text_line = lines[index]
            index += 1
        words = "".join(parts).strip().split(None, 1)
        arguments = words[1] if len(words) > 1 else ""
        instruction = Instruction(words[0].upper(), arguments.strip(), start)
        instructions.append(instruction)
        if instruction.keyword in _HEREDOC_INSTRUCTIONS:
            index = _skip_heredocs(lines, index, instruction.arguments)
    return Dockerfile(tuple(instructions), escape)


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _skip_heredocs(lines: list[str], index: int, arguments: str) -> int:
    """Return the index of the first line after the heredoc bodies an instruction opens."""
    for heredoc in _HEREDOC.finditer(arguments):
        strip_tabs = heredoc.group(1) == "-"
        delimiter = heredoc.group(3)
        while index < len(lines):
            body_line = lines[index]
            index += 1
            if strip_tabs:
                body_line = body_line.lstrip("\t")
            if body_line.rstrip() == delimiter:
                break
    return index


def _from_arguments(arguments: str) -> tuple[str, str | None]:
    words = [word for word in arguments.split() if not word.startswith("--")]
    base = words[0] if words else ""
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return base, name


def healthcheck_disables(instruction: Instruction) -> bool:
    """Return whether a HEALTHCHECK instruction is ``HEALTHCHECK NONE``, which adds no
    probe but removes one inherited from the base image."""
    words = [word for word in instruction.arguments.split() if not word.startswith("--")]
    return bool(words) and words[0].upper() == "NONE"


# Python sources ----------------------------------------------------------------------

_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages", *TEST_FOLDERS})
_SIGNAL_CALLS = frozenset(
    {
        "signal",  # signal.signal(SIGTERM, handler)
        "add_signal_handler",  # asyncio: loop.add_signal_handler(SIGTERM, callback)
        "open_signal_receiver",  # anyio / trio: with open_signal_receiver(SIGTERM):
        "sigwait",  # signal.sigwait({SIGTERM})
        "sigwaitinfo",
        "sigtimedwait",
    }
)
_NOT_A_HANDLER = frozenset({"SIG_DFL", "SIG_IGN"})
ROUTES = ("/livez", "/readyz")


@dataclass(frozen=True)
class SourceFacts:
    """Routes and the SIGTERM handler found in a service's Python code, with places."""

    routes: dict[str, tuple[Path, int]] = field(default_factory=dict)
    sigterm: tuple[Path, int] | None = None
    unreadable: tuple[Path, ...] = ()


def service_sources(unit: Unit) -> Iterator[Path]:
    """Yield the service's own Python files: everything under its folder except tests,
    hidden folders, virtual environments and caches."""
    for folder, subfolders, files in os.walk(unit.path):
        walked = []
        for name in sorted(subfolders):
            if name.startswith(".") or name in _SKIPPED_FOLDERS:
                continue
            if os.path.exists(os.path.join(folder, name, "pyvenv.cfg")):
                continue
            walked.append(name)
        subfolders[:] = walked
        for name in sorted(files):
            if name.endswith(".py") and not _is_test_file(name):
                yield Path(folder) / name


def _is_test_file(name: str) -> bool:
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def scan_sources(paths: Iterable[Path]) -> SourceFacts:
    """Parse each file and collect the first place each route and a SIGTERM handler is
    named."""
    routes: dict[str, tuple[Path, int]] = {}
    sigterm: tuple[Path, int] | None = None
    unreadable: list[Path] = []
    for path in paths:
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (OSError, SyntaxError, ValueError):
            unreadable.append(path)
            continue
        for route, line in _routes_in(tree):
            routes.setdefault(route, (path, line))
        if sigterm is None:
            line = _sigterm_handler_line(tree)
            if line is not None:
                sigterm = (path, line)
    return SourceFacts(routes, sigterm, tuple(unreadable))


def route_of(value: object) -> str | None:
    """Return '/livez' or '/readyz' when a constant names that route, else None.

    A route is a string (or bytes) without spaces that is the route itself or ends
    with it, with or without a trailing slash: ``"/livez"``, ``"/internal/readyz/"``.
    """
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or len(value) > 200 or any(c.isspace() for c in value):
        return None
    path = value.split("?", 1)[0]
    path = path[:-1] if path.endswith("/") else path
    for route in ROUTES:
        if path.endswith(route):
            return route
    return None


def _routes_in(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            route = route_of(node.value)
            if route is not None:
                yield route, node.lineno


def _sigterm_handler_line(tree: ast.AST) -> int | None:
    """Return the line of the first call that installs a handler for SIGTERM, if any.

    A call counts when its function is named like one of ``_SIGNAL_CALLS`` and its first
    argument names SIGTERM, directly (``signal.SIGTERM``, ``SIGTERM``,
    ``Signals.SIGTERM``, ``"SIGTERM"``) or through a variable: a loop variable over a
    collection that contains SIGTERM, or a name assigned such a value. A handler that is
    ``SIG_DFL`` or ``SIG_IGN`` does not count.
    """
    names = _names_holding_sigterm(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        called = (
            function.attr
            if isinstance(function, ast.Attribute)
            else function.id
            if isinstance(function, ast.Name)
            else None
        )
        if called not in _SIGNAL_CALLS:
            continue
        arguments = list(node.args) + [keyword.value for keyword in node.keywords]
        if not arguments or not _mentions_sigterm(arguments[0], names):
            continue
        if called == "signal" and len(arguments) >= 2 and _names_default(arguments[1]):
            continue
        return node.lineno
    return None


def _mentions_sigterm(node: ast.AST, names: set[str]) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr == "SIGTERM":
            return True
        if isinstance(child, ast.Name) and (child.id == "SIGTERM" or child.id in names):
            return True
        if isinstance(child, ast.Constant) and child.value == "SIGTERM":
            return True
    return False


def _names_default(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in _NOT_A_HANDLER
    return isinstance(node, ast.Name) and node.id in _NOT_A_HANDLER


def _names_holding_sigterm(tree: ast.AST) -> set[str]:
    """Return the names bound anywhere in the module to SIGTERM or to a value containing
    it."""
    bindings: list[tuple[ast.AST, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            bindings.extend((target, node.value) for target in node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            bindings.append((node.target, node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            bindings.append((node.target, node.iter))
    names: set[str] = set()
    changed = True
    while changed:
        changed = False
        for target, value in bindings:
            if not _mentions_sigterm(value, names):
                continue
            for child in ast.walk(target):
                if isinstance(child, ast.Name) and child.id not in names:
                    names.add(child.id)
                    changed = True
    return names


# Files a service must hold ----------------------------------------------------------


def _package_folders(workspace: Workspace, unit: Unit) -> list[Path]:
    """Return the import root and the top-level package folders under it, except tests."""
    root = unit.import_root
    listing = workspace._listing(root)
    folders = [root]
    for name in sorted(listing.folders):
        if name in TEST_FOLDERS or name == "__pycache__":
            continue
        if root != unit.path or name != "src":
            folders.append(root / name)
    return folders


def find_module(
    workspace: Workspace, unit: Unit, names: Iterable[str], packages: bool = True
) -> Path | None:
    """Return the first ``name.py`` (or ``name/`` package) at the import root or in a
    top-level package of the service.

    A package needs an ``__init__.py``, so that a ``config/`` folder of YAML files does
    not pass for a config module.
    """
    module_names = tuple(names)
    for folder in _package_folders(workspace, unit):
        listing = workspace._listing(folder)
        for name in module_names:
            if name in listing.modules:
                return folder / f"{name}.py"
            if packages and name in listing.folders and (folder / name / "__init__.py").is_file():
                return folder / name
    return None


def find_tests(workspace: Workspace, unit: Unit) -> tuple[Path | None, Path | None]:
    """Return (a tests folder holding a test module, the first tests folder seen).

    Looked for: ``tests/`` or ``test/`` in the service folder, then in each top-level
    package. A test module is ``test_*.py`` or ``*_test.py`` at any depth.
    """
    first_seen = None
    candidates = [unit.path / name for name in TEST_FOLDERS]
    candidates += [
        folder / name for folder in _package_folders(workspace, unit)[1:] for name in TEST_FOLDERS
    ]
    for folder in candidates:
        if not folder.is_dir():
            continue
        first_seen = first_seen or folder
        for _, _, files in os.walk(folder):
            if any(name.endswith(".py") and _is_test_file(name) for name in files):
                return folder, first_seen
    return None, first_seen


def build_metadata(unit: Unit) -> tuple[Path | None, str]:
    """Return the file that lets the service build on its own, or None and why not.

    Accepted: ``pyproject.toml`` with a ``[project]``, ``[build-system]`` or
    ``[tool.poetry]`` table; ``setup.cfg`` with ``[metadata]`` or ``[options]``;
    ``setup.py``.
    """
    reasons = []
    pyproject = unit.path / "pyproject.toml"
    if pyproject.is_file():
        data, error = _read_toml(pyproject)
        if error:
            reasons.append(f"pyproject.toml cannot be read ({error})")
        elif "project" in data or "build-system" in data or "poetry" in data.get("tool", {}):
            return pyproject, ""
        else:
            reasons.append("pyproject.toml has no [project], [build-system] or [tool.poetry]")
    setup_cfg = unit.path / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(setup_cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as error:
            reasons.append(f"setup.cfg cannot be read ({_first_line(error)})")
        else:
            if parser.has_section("metadata") or parser.has_section("options"):
                return setup_cfg, ""
            reasons.append("setup.cfg has no [metadata] or [options]")
    if (unit.path / "setup.py").is_file():
        return unit.path / "setup.py", ""
    if not reasons:
        reasons.append("it has no pyproject.toml, setup.cfg or setup.py")
    return None, "; ".join(reasons)


def _read_toml(path: Path) -> tuple[dict, str]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), ""
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return {}, _first_line(error)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def service_disable(unit: Unit, display: str) -> frozenset[str]:
    """Read ``[tool.service-boundaries] disable`` from the service's pyproject.toml.

    An unreadable pyproject.toml disables nothing (BND310 reports it); an unknown code
    raises ConfigError naming the file.
    """
    pyproject = unit.path / "pyproject.toml"
    if not pyproject.is_file():
        return frozenset()
    data, error = _read_toml(pyproject)
    if error:
        return frozenset()
    table = data.get("tool", {}).get(PYPROJECT_TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{display}: [tool.{PYPROJECT_TABLE}] must be a table.")
    unknown_keys = sorted(set(table) - {"disable"})
    if unknown_keys:
        raise ConfigError(
            f"{display}: [tool.{PYPROJECT_TABLE}] has unknown keys {unknown_keys}; "
            "the only key is 'disable'."
        )
    raw = table.get("disable", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConfigError(
            f"{display}: [tool.{PYPROJECT_TABLE}] disable must be a list of codes, "
            'for example disable = ["BND306"].'
        )
    problems = [
        f"{item!r}: {problem}"
        for item in raw
        if (problem := _code_problem(item.upper())) is not None
    ]
    if problems:
        raise ConfigError(
            f"{display}: [tool.{PYPROJECT_TABLE}] disable: " + "; ".join(problems) + "."
        )
    return _expand(item.upper() for item in raw)


# Compose files ----------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+]([^}]*))?\}|\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class ComposeEntry:
    """One service of a compose file: where it builds from and the image it names."""

    key: str
    source: Path
    context: Path | None
    dockerfile: Path | None
    image: str | None


def find_compose_file(root: Path, setting: str | os.PathLike[str] | None) -> Path | None:
    """Return the compose file to check against, or None when there is none.

    ``setting`` is ``"auto"`` (or None) to look for the usual names at the root,
    ``"none"`` to skip the compose check, or a path relative to the root, which must
    exist.
    """
    value = AUTO if setting is None else str(setting).strip()
    if value.lower() == AUTO:
        for name in COMPOSE_FILE_NAMES:
            candidate = root / name
            if candidate.is_file():
                return candidate
        return None
    if value.lower() in NONE_VALUES:
        return None
    path = Path(os.path.abspath(root / value))
    if not path.is_file():
        raise ConfigError(
            f"compose file {value!r} not found under {str(root)!r}; give a path relative "
            "to the root, 'auto' to look for compose.yaml and the like, or 'none'."
        )
    return path


def read_compose(path: Path) -> list[ComposeEntry]:
    """Read every service of a compose file and of the files it includes.

    NOTE: ``extends`` and override files (``compose.override.yaml``, several ``-f``
    files) are not merged, so a build or image set only there is not seen.
    """
    entries: list[ComposeEntry] = []
    _read_compose_into(path, entries, set())
    return entries


def _read_compose_into(path: Path, entries: list[ComposeEntry], seen: set[Path]) -> None:
    path = Path(os.path.abspath(path))
    if path in seen:
        return
    seen.add(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read compose file {path}: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot parse compose file {path}: {error}") from None
    if data is None:
        return
    if not isinstance(data, dict):
        raise ConfigError(f"compose file {path} is not a mapping at the top level.")
    base = path.parent
    for included in _included_files(data.get("include")):
        _read_compose_into(base / _interpolate(included), entries, seen)
    services = data.get("services") or {}
    if not isinstance(services, dict):
        raise ConfigError(f"compose file {path}: 'services' is not a mapping.")
    for key, service in services.items():
        if not isinstance(service, dict):
            continue
        context, dockerfile = _build_paths(service.get("build"), base)
        image = service.get("image")
        entries.append(
            ComposeEntry(
                str(key),
                path,
                context,
                dockerfile,
                _interpolate(image) if isinstance(image, str) else None,
            )
        )


def _included_files(include: object) -> Iterator[str]:
    if not isinstance(include, list):
        return
    for item in include:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            paths = item.get("path")
            for include_path in paths if isinstance(paths, list) else [paths]:
                if isinstance(include_path, str):
                    yield include_path


def _build_paths(build: object, base: Path) -> tuple[Path | None, Path | None]:
    if isinstance(build, str):
        context_text, dockerfile_text = build, None
    elif isinstance(build, dict):
        context_text = build.get("context", ".")
        dockerfile_text = build.get("dockerfile")
    else:
        return None, None
    if (
        not isinstance(context_text, str)
        or "://" in context_text
        or context_text.startswith("git@")
    ):
        return None, None
    context = Path(os.path.abspath(base / _interpolate(context_text)))
    dockerfile = None
    if isinstance(dockerfile_text, str):
        dockerfile = Path(os.path.abspath(context / _interpolate(dockerfile_text)))
    return context, dockerfile


def _interpolate(text: str) -> str:
    """Replace ``${VAR:-default}`` by its default and other variables by nothing: the
    check reads the file, not the environment it will be deployed with."""
    return _INTERPOLATION.sub(lambda match: match.group(2) or "", text)


def image_name(image: str) -> str:
    """Return an image reference's last path part without tag or digest, normalized:
    ``registry:5000/shop/billing-api:1.2`` -> ``billing-api``."""
    last = image.rsplit("/", 1)[-1]
    return last.split("@", 1)[0].split(":", 1)[0].lower().replace("_", "-")


def compose_entry_for(unit: Unit, entries: Iterable[ComposeEntry]) -> ComposeEntry | None:
    """Return the first compose entry that builds or names the service.

    An entry matches when its build context is the service folder (or inside it), when
    its Dockerfile is inside the service folder, or when its image's last path part
    without tag is the service's folder name (``_`` and ``-`` alike).
    """
    folder = Path(os.path.realpath(unit.path))
    expected_image = unit.name.lower().replace("_", "-")
    by_image = None
    for entry in entries:
        if entry.context is not None and _inside(entry.context, folder):
            return entry
        if entry.dockerfile is not None and _inside(entry.dockerfile, folder):
            return entry
        if by_image is None and entry.image and image_name(entry.image) == expected_image:
            by_image = entry
    return by_image


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(folder)


# The check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFinding:
    """One broken layout rule of one service."""

    code: str
    service: str
    path: Path
    """The file the finding is about, or the service folder when a file is missing."""
    line: int | None
    message: str

    @property
    def text(self) -> str:
        """Return the flake8-style text: the code, then the message."""
        return f"{self.code} {self.message}"


@dataclass(frozen=True)
class ServiceReport:
    """The findings over all services, and what was checked."""

    findings: tuple[ServiceFinding, ...]
    services: tuple[Unit, ...]
    compose: Path | None
    disabled: int
    """How many findings a disable list turned off."""


def check_services(
    workspace: Workspace,
    disabled: Disabled | None = None,
    compose: str | os.PathLike[str] | None = AUTO,
) -> ServiceReport:
    """Check every service of the workspace; raise ConfigError for unusable settings."""
    disabled = disabled or Disabled()
    services = tuple(unit for unit in workspace.units if unit.kind is Kind.SERVICE)
    unknown = sorted(disabled.services - {unit.name for unit in services})
    if unknown:
        known = ", ".join(unit.name for unit in services) or "none"
        raise ConfigError(
            f"disable list names services that do not exist: {', '.join(unknown)} "
            f"(services: {known}); fix or remove those entries."
        )
    compose_path = find_compose_file(workspace.root, compose)
    compose_entries = read_compose(compose_path) if compose_path else None
    findings: list[ServiceFinding] = []
    turned_off = 0
    for unit in services:
        display = _relative(unit.path / "pyproject.toml", workspace.root)
        off = disabled.codes_for(unit.name) | service_disable(unit, display)
        for finding in _check_service(workspace, unit, compose_path, compose_entries):
            if finding.code in off:
                turned_off += 1
            else:
                findings.append(finding)
    return ServiceReport(tuple(findings), services, compose_path, turned_off)


def _check_service(
    workspace: Workspace,
    unit: Unit,
    compose_path: Path | None,
    compose_entries: list[ComposeEntry] | None,
) -> Iterator[ServiceFinding]:
    root = workspace.root
    where = _relative(unit.path, root)
    service = unit.describe()

    def finding(code: str, text: str, path: Path = unit.path, line: int | None = None):
        return ServiceFinding(code, unit.name, path, line, f"{text}; {CODES[code].rule}")

    entry = None
    if compose_entries is not None:
        entry = compose_entry_for(unit, compose_entries)
        if entry is None:
            yield finding(
                NOT_IN_COMPOSE,
                f"{service} is not in {_relative(compose_path, root)}: no service there builds "
                f"from {where} or uses an image named {unit.name!r}",
                compose_path or unit.path,
            )

    dockerfile_path = _dockerfile_of(unit, entry)
    if dockerfile_path is None:
        names = " or ".join(DOCKERFILE_NAMES)
        yield finding(MISSING_DOCKERFILE, f"{service} has no {names} in {where}")
    else:
        yield from _check_dockerfile(unit, dockerfile_path, root, finding)

    facts = scan_sources(service_sources(unit))
    for code, route in ((NO_LIVEZ, "/livez"), (NO_READYZ, "/readyz")):
        if route not in facts.routes:
            yield finding(code, f"{service} names no {route!r} route in its code{_skipped(facts)}")
    if facts.sigterm is None:
        yield finding(
            NO_SIGTERM,
            f"{service} installs no SIGTERM handler in its code{_skipped(facts)}",
        )

    if find_module(workspace, unit, [CONFIG_MODULE]) is None:
        yield finding(
            NO_CONFIG,
            f"{service} has no {CONFIG_MODULE}.py or {CONFIG_MODULE}/ package in "
            f"{_relative(unit.import_root, root)} or its top-level package",
        )
    if find_module(workspace, unit, workspace.names.main, packages=False) is None:
        files = " or ".join(f"{name}.py" for name in workspace.names.main)
        yield finding(
            NO_ENTRY_POINT,
            f"{service} has no {files} in {_relative(unit.import_root, root)} or its "
            "top-level package",
        )
    tests, seen = find_tests(workspace, unit)
    if tests is None:
        detail = (
            f"{_relative(seen, root)} holds no test_*.py or *_test.py"
            if seen
            else f"it has no tests/ folder in {where}"
        )
        yield finding(NO_TESTS, f"{service} has no tests: {detail}")
    metadata, reason = build_metadata(unit)
    if metadata is None:
        yield finding(NO_BUILD_METADATA, f"{service} cannot build on its own: {reason}")


def _dockerfile_of(unit: Unit, entry: ComposeEntry | None) -> Path | None:
    if entry is not None and entry.dockerfile is not None and entry.dockerfile.is_file():
        if _inside(entry.dockerfile, Path(os.path.realpath(unit.path))):
            return entry.dockerfile
    for name in DOCKERFILE_NAMES:
        candidate = unit.path / name
        if candidate.is_file():
            return candidate
    return None


def _check_dockerfile(unit: Unit, path: Path, root: Path, finding) -> Iterator[ServiceFinding]:
    service = unit.describe()
    display = _relative(path, root)
    try:
        dockerfile = parse_dockerfile(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as error:
        yield finding(
            MISSING_DOCKERFILE, f"{display} of {service} cannot be read: {error.strerror or error}"
        )
        return
    stages = dockerfile.stages
    for instruction in dockerfile.instructions:
        if instruction.keyword != "HEALTHCHECK" or healthcheck_disables(instruction):
            continue
        stage = dockerfile.stage_of(instruction)
        in_stage = f"stage {stage.describe()}" if stage else "the lines before the first FROM"
        yield finding(
            HEALTHCHECK,
            f"{display} of {service} has 'HEALTHCHECK {_shorten(instruction.arguments)}' "
            f"in {in_stage}",
            path,
            instruction.line,
        )
    if len(stages) < 2:
        line = stages[0].start.line if stages else None
        count = "one FROM" if stages else "no FROM"
        yield finding(
            SINGLE_STAGE,
            f"{display} of {service} has {count}, so build tools end up in the shipped image",
            path,
            line,
        )


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _skipped(facts: SourceFacts) -> str:
    if not facts.unreadable:
        return ""
    count = len(facts.unreadable)
    return f" ({count} file{'s' if count > 1 else ''} could not be parsed)"


def _relative(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
    return relative or "."

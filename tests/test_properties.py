"""Property tests: generated trees and import statements, judged three ways.

The engine's verdict, through each front end, must equal a reference model of the rules
written here from the README's tables, and the two front ends must agree with each other
(minus the codes only flake8 can see). Top-level names are unique per unit, so the
importer's unit and the imported unit are plain dictionary look-ups in the model.
"""

from __future__ import annotations

import ast
import keyword
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import BASE_TREE, contract_findings, flake8_findings, write_tree
from service_boundaries import checker, flake8_plugin, workspace
from service_boundaries.checker import check_tree
from test_rules_table import FLAKE8_ONLY

APP, PACKAGE, SERVICE = "app", "package", "service"
LAYERS = ("core", "ports", "adapters")
EXTERNAL = ("os", "json.decoder", "requests", "pydantic.fields")

# The README's allow-lists: importer kind -> imported kind -> code when forbidden.
BOUNDARY_CODES = {
    (SERVICE, APP): "BND101",
    (SERVICE, SERVICE): "BND102",
    (APP, SERVICE): "BND103",
    (PACKAGE, APP): "BND104",
    (PACKAGE, SERVICE): "BND105",
}
ALLOWED_LAYERS = {
    "core": {"core", "ports"},
    "ports": {"ports", "core"},
    "adapters": {"adapters", "ports", "core"},
}
LAYER_CODES = {"core": "BND201", "ports": "BND202", "adapters": "BND203"}


@dataclass(frozen=True)
class UnitSpec:
    """A generated unit: its kind, its one top-level package and its layer folders."""

    kind: str
    name: str
    src_layout: bool
    layers: tuple[str, ...]

    @property
    def import_root(self) -> str:
        if self.kind == APP:
            return "src"
        area = "services" if self.kind == SERVICE else "packages"
        return f"{area}/{self.name}/src" if self.src_layout else f"{area}/{self.name}"

    @property
    def layered(self) -> bool:
        return self.kind == SERVICE and bool({"core", "ports"} & set(self.layers))


@dataclass(frozen=True)
class Module:
    """A module of a generated tree, with the file that contains it."""

    unit: UnitSpec
    name: str
    path: str
    is_package: bool

    @property
    def package(self) -> list[str]:
        parts = self.name.split(".")
        return parts if self.is_package else parts[:-1]


def modules_of(unit: UnitSpec) -> list[Module]:
    """List every module of a unit: its package, plain modules, main and the layers."""
    base = f"{unit.import_root}/{unit.name}"
    modules = [
        Module(unit, unit.name, f"{base}/__init__.py", True),
        Module(unit, f"{unit.name}.api", f"{base}/api.py", False),
        Module(unit, f"{unit.name}.config", f"{base}/config.py", False),
    ]
    if unit.kind == SERVICE:
        modules.append(Module(unit, f"{unit.name}.main", f"{base}/main.py", False))
    for layer in unit.layers:
        modules.append(Module(unit, f"{unit.name}.{layer}", f"{base}/{layer}/__init__.py", True))
        modules.append(Module(unit, f"{unit.name}.{layer}.impl", f"{base}/{layer}/impl.py", False))
    return modules


def layer_of(unit: UnitSpec, name: str) -> str | None:
    """Return the layer of a dotted name inside a layered service, as the README defines it."""
    parts = name.split(".")
    if len(parts) < 2:
        return None
    if parts[1] in unit.layers:
        return parts[1]
    if parts[1] == "main" and unit.kind == SERVICE:
        return "main"
    return None


def expected_code(importer: Module, imported: str, owners: dict[str, UnitSpec]) -> str | None:
    """Return the code the README's rules give for one absolute import, or None."""
    target = owners.get(imported.split(".")[0])
    if target is None:
        return None
    source = importer.unit
    if target != source:
        return BOUNDARY_CODES.get((source.kind, target.kind))
    if not source.layered:
        return None
    importer_layer = layer_of(source, importer.name)
    if importer_layer not in ALLOWED_LAYERS:
        return None
    if layer_of(source, imported) in ALLOWED_LAYERS[importer_layer]:
        return None
    return LAYER_CODES[importer_layer]


# Strategies ---------------------------------------------------------------------------


@st.composite
def unit_specs(draw: st.DrawFn) -> list[UnitSpec]:
    units = []
    if draw(st.booleans()):
        units.append(UnitSpec(APP, "shop", False, ()))
    for name in draw(st.lists(st.sampled_from(["money", "textkit"]), min_size=1, unique=True)):
        units.append(UnitSpec(PACKAGE, name, draw(st.booleans()), ()))
    services = ["billing", "notifier", "orders"]
    for name in draw(st.lists(st.sampled_from(services), min_size=1, max_size=2, unique=True)):
        layers = draw(st.lists(st.sampled_from(LAYERS), unique=True))
        units.append(UnitSpec(SERVICE, name, draw(st.booleans()), tuple(sorted(layers))))
    return units


# How an import statement is wrapped: the lines before it, its indentation, lines after.
WRAPPERS = {
    "top": ([], "", []),
    "function": (["def handler():"], "    ", []),
    "class": (["class Handler:"], "    ", []),
    "if": (["if True:"], "    ", []),
    "else": (["if False:", "    pass", "else:"], "    ", []),
    "try": (["try:"], "    ", ["except ImportError:", "    pass"]),
    "type-checking": (["from typing import TYPE_CHECKING", "if TYPE_CHECKING:"], "    ", []),
    "nested": (["def outer():", "    class Inner:", "        if True:"], "            ", []),
}


@dataclass(frozen=True)
class Statement:
    """One generated import: the statement text, the name imported, and its wrapper."""

    text: str
    imported: str | None
    """The absolute name the rules judge; None for an external name or a climbing import."""
    wrapper: str
    climbs: bool = False
    """Whether a relative import climbs above its top-level package (BND902)."""


@st.composite
def statements(draw: st.DrawFn, importer: Module, modules: list[Module]) -> Statement:
    wrapper = draw(st.sampled_from(sorted(WRAPPERS)))
    own = [module for module in modules if module.unit == importer.unit]

    style = draw(
        st.sampled_from(
            ["import", "import-as", "from", "from-as", "relative", "external", "climb"]
        )
    )
    if style == "external":
        name = draw(st.sampled_from(EXTERNAL))
        return Statement(f"import {name}", None, wrapper)

    if style == "climb":
        level = len(importer.package) + draw(st.integers(1, 2))
        return Statement(f"from {'.' * level} import anything", None, wrapper, climbs=True)

    if style == "relative":
        target = draw(st.sampled_from([m for m in own if m.name != importer.name] or own))
        return _relative(importer, target, wrapper)

    target = draw(st.sampled_from(modules))
    name = target.name
    if draw(st.booleans()):
        # A name below the module that exists nowhere, or an attribute of the module.
        name = f"{name}.{draw(st.sampled_from(['missing', 'Thing']))}"
    parts = name.split(".")
    if style in ("from", "from-as") and len(parts) > 1:
        alias = " as renamed" if style == "from-as" else ""
        text = f"from {'.'.join(parts[:-1])} import {parts[-1]}{alias}"
    elif style == "import-as":
        text = f"import {name} as renamed"
    else:
        text = f"import {name}"
    return Statement(text, name, wrapper)


def _relative(importer: Module, target: Module, wrapper: str) -> Statement:
    """Write ``target`` relative to ``importer``'s package: from <dots><rest> import <last>."""
    parts = target.name.split(".")
    parent, last = parts[:-1], parts[-1]
    if not parent:
        # The top-level package itself: 'from .. import x' cannot name it, so go absolute.
        return Statement(f"import {target.name}", target.name, wrapper)
    package = importer.package
    common = 0
    while common < min(len(package), len(parent)) and package[common] == parent[common]:
        common += 1
    level = len(package) - common + 1
    rest = ".".join(parent[common:])
    return Statement(f"from {'.' * level}{rest} import {last}", target.name, wrapper)


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, str], set[tuple[str, int, str]]]:
    units = draw(unit_specs())
    modules = [module for unit in units for module in modules_of(unit)]
    owners = {unit.name: unit for unit in units}
    files = {module.path: "" for module in modules}
    expected: set[tuple[str, int, str]] = set()
    importers = draw(st.lists(st.sampled_from(modules), min_size=1, max_size=4, unique=True))
    for importer in importers:
        lines: list[str] = []
        for statement in draw(st.lists(statements(importer, modules), min_size=1, max_size=5)):
            before, indent, after = WRAPPERS[statement.wrapper]
            lines.extend(before)
            lines.append(indent + statement.text)
            line = len(lines)
            lines.extend(after)
            if statement.climbs:
                expected.add((importer.path, line, "BND902"))
            elif statement.imported is not None:
                code = expected_code(importer, statement.imported, owners)
                if code is not None:
                    expected.add((importer.path, line, code))
        files[importer.path] = "\n".join(lines) + "\n"
    return files, expected


def reset_caches() -> None:
    """Forget workspaces of earlier examples: a temporary folder's name may come back."""
    checker.clear_caches()
    flake8_plugin._REPORTED_PROBLEMS.clear()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(trees())
def test_front_ends_match_reference_model(
    tree: tuple[dict[str, str], set[tuple[str, int, str]]],
) -> None:
    files, expected = tree
    event(f"{len(expected)} findings expected")
    for code in sorted({item[2] for item in expected}):
        event(f"expects {code}")
    reset_caches()
    with tempfile.TemporaryDirectory() as folder:
        root = write_tree(Path(folder), files)
        by_flake8 = flake8_findings(root)
        by_contracts = contract_findings(root)
    assert by_flake8 == expected
    assert by_contracts == {item for item in expected if item[2] not in FLAKE8_ONLY}


# Any import statement the parser accepts, on a fixed tree: the engine never raises, and
# reports BND902 exactly for relative imports that climb above the top-level package.
IDENTIFIERS = st.sampled_from(
    ["billing", "core", "adapters", "main", "shop", "money", "src", "services", "x", "_"]
) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
)
DOTTED = st.lists(IDENTIFIERS, min_size=1, max_size=6).map(".".join)


@st.composite
def any_import(draw: st.DrawFn) -> tuple[str, int]:
    """Return one import statement and its relative level (0 for an absolute import)."""
    if draw(st.booleans()):
        return f"import {draw(DOTTED)}", 0
    level = draw(st.integers(0, 8))
    module = draw(st.one_of(st.just(""), DOTTED)) if level else draw(DOTTED)
    names = draw(
        st.one_of(st.just("*"), st.lists(IDENTIFIERS, min_size=1, max_size=3).map(", ".join))
    )
    return f"from {'.' * level}{module} import {names}", level


@pytest.fixture(scope="module")
def fixed_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[workspace.Workspace, Path]:
    """Return the base tree's workspace and the importer billing.core.model, once per module."""
    root = write_tree(tmp_path_factory.mktemp("fixed"), BASE_TREE)
    return workspace.Workspace.discover(root), root / "services/billing/src/billing/core/model.py"


@settings(max_examples=300, deadline=None)
@given(imports=st.lists(any_import(), min_size=1, max_size=8))
def test_engine_never_raises_on_any_import(
    fixed_tree: tuple[workspace.Workspace, Path], imports: list[tuple[str, int]]
) -> None:
    fixed, importer = fixed_tree
    location = fixed.locate(importer)
    assert location is not None
    source = "\n".join(text for text, _ in imports) + "\n"
    found = {
        (finding.line, finding.violation.code)
        for finding in check_tree(ast.parse(source), fixed, location)
    }
    # The importer is billing.core.model: its package billing.core is two levels deep.
    climbing = {(line, "BND902") for line, (_, level) in enumerate(imports, 1) if level > 2}
    assert {item for item in found if item[1] == "BND902"} == climbing

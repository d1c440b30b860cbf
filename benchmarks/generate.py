"""Generate a large, deterministic monorepo for the benchmarks, or describe an existing one.

A generated tree follows the layout the tool checks: ``src/<app>/`` (the app),
``packages/<name>/`` and ``services/<name>/``, each unit either flat (``<name>/<name>/``)
or in a src layout (``<name>/src/<name>/``). A share of the services has
``core/ports/adapters`` layers and a ``main`` module. Modules hold ordinary code (a
dataclass, a few functions, stdlib and third-party imports) so that flake8's own checks
have realistic work, and import other modules of their unit and of the packages at the
given density, always within the rules. Exactly one import per code BND101..BND105 and
BND201..BND203 is planted; ``manifest.json`` at the root lists where.

Beside the tree, the configuration the benchmarks need is written:

- ``bench-ours.ini``: this project's two contract types (graph cache on), and
  ``bench-ours-nocache.ini`` (``cache_dir = none``);
- ``bench-builtin.ini``: the same rules as import-linter's built-in ``forbidden`` and
  ``layers`` contracts, with ``bench-pythonpath.txt`` listing the import roots they need;
- ``tach.toml``: the same rules as tach modules with ``depends_on`` lists.

The built-in contracts and tach see one namespace per run, so they need units whose
top-level names do not collide. With ``--tests-share`` above 0, units get a top-level
``tests/`` of their own, the names collide, and only this project's configuration is
written.

With ``--existing PATH``, nothing is generated: the tree at PATH is read with this
project's workspace model, summarised, and the same configuration is written into
``--out`` (never into PATH), from where ``run.py --tree PATH`` uses it.

    python benchmarks/generate.py --out /tmp/tree --services 20 --packages 12
    python benchmarks/generate.py --existing ~/code/monorepo --out /tmp/tree-config
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Words for unit, subpackage and module names, numbered once every word is used.
UNIT_WORDS = (
    "billing accounts audit catalog checkout content delivery email export fraud geo "
    "identity inventory invoices ledger loyalty media metrics notify orders payments "
    "pricing profiles quotes ratings refunds reports search shipping social storage "
    "support tax tickets tracking uploads users vouchers warehouse webhooks"
).split()
PACKAGE_WORDS = (
    "money textkit timeutil httpkit dbkit cachekit authkit logkit configkit eventbus "
    "retrykit featureflags i18n schemas validators pagination tracing serializers "
    "ratelimit crypto"
).split()
AREA_WORDS = (
    "api models handlers storage utils jobs schemas clients events reports views "
    "services tasks helpers domain"
).split()
MODULE_WORDS = (
    "orders items users sessions tokens records entries batches rules limits prices "
    "totals queries filters mappers loaders writers readers parsers formats checks "
    "hooks routes forms tables caches queues workers"
).split()
STDLIB_IMPORTS = (
    ("import json", "json"),
    ("import logging", "logging"),
    ("import os", "os"),
    ("import re", "re"),
    ("from collections import defaultdict", "defaultdict"),
    ("from datetime import datetime", "datetime"),
    ("from decimal import Decimal", "Decimal"),
    ("from pathlib import Path", "Path"),
    ("from typing import Any", "Any"),
    ("import itertools", "itertools"),
)
THIRD_PARTY_IMPORTS = (
    ("import requests", "requests"),
    ("import sqlalchemy", "sqlalchemy"),
    ("from pydantic import BaseModel", "BaseModel"),
    ("import attr", "attr"),
    ("from celery import shared_task", "shared_task"),
)
LAYER_ALLOWED = {
    "core": ("core", "ports"),
    "ports": ("ports", "core"),
    "adapters": ("adapters", "ports", "core"),
}
PLANTED_CODES = (
    "BND101",
    "BND102",
    "BND103",
    "BND104",
    "BND105",
    "BND201",
    "BND202",
    "BND203",
)


@dataclass
class Module:
    """One generated module: its dotted name, file, layer and the imports it makes."""

    name: str
    path: Path
    is_package: bool
    layer: str | None = None
    imports: list[tuple[str, str | None]] = field(default_factory=list)
    """(import line, name it binds). A planted import binds ``planted_<code>``."""
    planted: list[str] = field(default_factory=list)


@dataclass
class GenUnit:
    """One generated unit and its modules."""

    kind: str
    name: str
    folder: Path
    import_root: Path
    package: str
    layered: bool = False
    modules: list[Module] = field(default_factory=list)

    def by_layer(self, layer: str | None) -> list[Module]:
        return [module for module in self.modules if module.layer == layer]

    def plain_modules(self) -> list[Module]:
        return [module for module in self.modules if not module.is_package]


@dataclass
class Params:
    """Parameters of a generated tree."""

    services: int = 20
    packages: int = 12
    modules_per_unit: int = 60
    import_density: float = 4.0
    src_layout_share: float = 0.5
    layered_share: float = 0.4
    tests_share: float = 0.0
    functions: int = 3
    pyproject: bool = False
    """Write a pyproject.toml per unit; tach then takes units for separate distributions
    and stops checking the imports between them."""
    seed: int = 1


def _names(words: Iterable[str], count: int, used_names: set[str]) -> list[str]:
    words = list(words)
    out: list[str] = []
    round_number = 0
    while len(out) < count:
        for word in words:
            name = word if round_number == 0 else f"{word}{round_number + 1}"
            if name in used_names:
                continue
            used_names.add(name)
            out.append(name)
            if len(out) == count:
                break
        round_number += 1
    return out


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) or "Module"


def _plan_unit(
    rng: random.Random, kind: str, name: str, root: Path, params: Params, layered: bool
) -> GenUnit:
    area = {"app": "src", "package": "packages", "service": "services"}[kind]
    if kind == "app":
        folder = root / "src"
        import_root = folder
    else:
        folder = root / area / name
        src_layout = rng.random() < params.src_layout_share
        import_root = folder / "src" if src_layout else folder
    unit = GenUnit(kind, name, folder, import_root, name, layered)
    target = max(4, int(params.modules_per_unit * rng.uniform(0.6, 1.4)))
    base = import_root / name
    unit.modules.append(Module(name, base / "__init__.py", True))
    if layered:
        unit.modules.append(Module(f"{name}.main", base / "main.py", False, layer="main"))
        unit.modules.append(Module(f"{name}.config", base / "config.py", False))
        folders = [("core", "core"), ("ports", "ports"), ("adapters", "adapters")]
        folders += [(area_name, None) for area_name in ("api", "jobs")]
    else:
        area_count = max(1, target // 8)
        folders = [(area_name, None) for area_name in _names(AREA_WORDS, area_count, set())]
    for folder_name, layer in folders:
        dotted = f"{name}.{folder_name}"
        unit.modules.append(Module(dotted, base / folder_name / "__init__.py", True, layer=layer))
    per_folder = max(1, (target - len(unit.modules)) // len(folders))
    for folder_name, layer in folders:
        for leaf in _names(MODULE_WORDS, per_folder, set()):
            unit.modules.append(
                Module(
                    f"{name}.{folder_name}.{leaf}",
                    base / folder_name / f"{leaf}.py",
                    False,
                    layer=layer,
                )
            )
    if kind != "app" and rng.random() < params.tests_share:
        unit.modules.append(Module("tests", folder / "tests" / "__init__.py", True))
        for leaf in _names(MODULE_WORDS, 3, set()):
            unit.modules.append(
                Module(f"tests.test_{leaf}", folder / "tests" / f"test_{leaf}.py", False)
            )
    return unit


def _allowed_own_targets(unit: GenUnit, module: Module) -> list[Module]:
    candidates = [other for other in unit.plain_modules() if other is not module]
    if module.name.startswith("tests"):
        return [other for other in candidates if not other.name.startswith("tests")]
    candidates = [other for other in candidates if not other.name.startswith("tests")]
    if not unit.layered:
        return candidates
    if module.layer in LAYER_ALLOWED:
        return [other for other in candidates if other.layer in LAYER_ALLOWED[module.layer]]
    if module.layer == "main":
        return candidates
    # Modules in no layer (config, api, jobs) use the layers but not main. No chain
    # through them reaches main, because import-linter's layers contract follows chains.
    return [other for other in candidates if other.layer != "main" and other.layer]


def _import_line(
    rng: random.Random, module: Module, target: Module, bound: set[str], relative_ok: bool
) -> tuple[str, str]:
    parent, _, leaf = target.name.rpartition(".")
    own_parent = module.name.rpartition(".")[0] if not module.is_package else module.name
    style = rng.random()
    if style < 0.4:
        # A symbol from the module: resolution must stop at the module name.
        symbol = f"{_camel(leaf)}Record"
        alias = symbol if symbol not in bound else f"{symbol}{len(bound)}"
        as_clause = "" if alias == symbol else f" as {alias}"
        if relative_ok and parent == own_parent and rng.random() < 0.5:
            return f"from .{leaf} import {symbol}{as_clause}", alias
        return f"from {target.name} import {symbol}{as_clause}", alias
    alias = leaf if leaf not in bound else f"{leaf}_{len(bound)}"
    as_clause = "" if alias == leaf else f" as {alias}"
    if not parent:
        return f"import {target.name}{as_clause}", alias if as_clause else target.name
    if relative_ok and parent == own_parent and rng.random() < 0.5:
        return f"from . import {leaf}{as_clause}", alias
    return f"from {parent} import {leaf}{as_clause}", alias


def _plan_imports(rng: random.Random, units: list[GenUnit], params: Params) -> None:
    packages = [unit for unit in units if unit.kind == "package"]
    for unit in units:
        for module in unit.modules:
            if module.is_package:
                continue
            count = max(0, round(rng.gauss(params.import_density, params.import_density / 3)))
            # The module's own class is bound too: an import must not shadow it.
            bound: set[str] = {f"{_camel(module.name.rpartition('.')[2])}Record"}
            own = _allowed_own_targets(unit, module)
            others = [other for other in packages if other is not unit]
            for _ in range(count):
                if own and (not others or rng.random() < 0.6):
                    target = rng.choice(own)
                    relative_ok = not module.name.startswith("tests")
                else:
                    if not others:
                        continue
                    target_unit = rng.choice(others)
                    choices = target_unit.plain_modules() or target_unit.modules
                    choices = [m for m in choices if not m.name.startswith("tests")]
                    if not choices:
                        continue
                    target = rng.choice(choices)
                    relative_ok = False
                line, name = _import_line(rng, module, target, bound, relative_ok)
                if name in bound or any(line == existing for existing, _ in module.imports):
                    continue
                bound.add(name)
                module.imports.append((line, name))


def _plant(rng: random.Random, units: list[GenUnit]) -> None:
    """Add one breaking import per planted code, each to a module picked by the seed."""
    app = next(unit for unit in units if unit.kind == "app")
    services = [unit for unit in units if unit.kind == "service"]
    packages = [unit for unit in units if unit.kind == "package"]
    layered = [unit for unit in services if unit.layered]
    if len(services) < 2 or not packages or not layered:
        raise SystemExit("planting needs 2 services, 1 package and 1 layered service")

    def pick(unit: GenUnit, layer: str | None = "any") -> Module:
        modules = [m for m in unit.plain_modules() if not m.name.startswith("tests")]
        if layer != "any":
            modules = [m for m in modules if m.layer == layer]
        return rng.choice(modules)

    def add(module: Module, target: Module, code: str) -> None:
        parent, _, leaf = target.name.rpartition(".")
        alias = f"planted_{code.lower()}"
        module.imports.append((f"from {parent} import {leaf} as {alias}", alias))
        module.planted.append(code)

    service_a, service_b = rng.sample(services, 2)
    package = rng.choice(packages)
    layered_service = rng.choice(layered)
    add(pick(service_a), pick(app), "BND101")
    add(pick(service_a), pick(service_b), "BND102")
    add(pick(app), pick(service_b), "BND103")
    add(pick(package), pick(app), "BND104")
    add(pick(package), pick(service_b), "BND105")
    adapters = pick(layered_service, "adapters")
    add(pick(layered_service, "core"), adapters, "BND201")
    add(pick(layered_service, "ports"), adapters, "BND202")
    config = next(m for m in layered_service.modules if m.name.endswith(".config"))
    add(adapters, config, "BND203")


def _render(rng: random.Random, unit: GenUnit, module: Module, params: Params) -> tuple[str, dict]:
    """Return a module's source and where its planted imports sit (code -> line)."""
    if module.is_package:
        lines = [f'"""The {module.name} package."""']
        if module.imports:
            lines.append("")
            lines.extend(line for line, _ in module.imports)
        return "\n".join(lines) + "\n", {}
    leaf = module.name.rpartition(".")[2]
    stdlib = rng.sample(STDLIB_IMPORTS, 3)
    if ("import logging", "logging") not in stdlib:
        stdlib[0] = ("import logging", "logging")
    stdlib.sort()
    third = rng.sample(THIRD_PARTY_IMPORTS, 1)
    lines = [
        f'"""{_camel(leaf)} of {unit.kind} {unit.name!r}, generated for the benchmarks."""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
    ]
    lines += [line for line, _ in stdlib]
    lines += ["", *[line for line, _ in third]]
    planted_lines: dict[str, int] = {}
    if module.imports:
        lines.append("")
        planted_alias = {f"planted_{code.lower()}": code for code in module.planted}
        for line, name in module.imports:
            lines.append(line)
            if name in planted_alias:
                planted_lines[planted_alias[name]] = len(lines)
    used = [name for _, name in [*stdlib, *third, *module.imports] if name]
    used = [name for name in used if name != "logging"]
    record = f"{_camel(leaf)}Record"
    lines += [
        "",
        "logger = logging.getLogger(__name__)",
        "",
        "",
        "@dataclass",
        f"class {record}:",
        f'    """One {leaf} row as stored by {unit.name}."""',
        "",
        "    ident: int",
        "    label: str",
        "    amount: int = 0",
        "",
        "    def describe(self) -> str:",
        '        """Return a short human-readable form."""',
        '        return f"{self.label} #{self.ident}: {self.amount}"',
    ]
    functions = max(1, int(params.functions * rng.uniform(0.5, 1.5))) if params.functions else 0
    for index in range(functions):
        threshold = rng.randint(2, 9)
        lines += [
            "",
            "",
            f"def summarise_{index}(",
            f"    records: list[{record}], limit: int = {threshold}",
            ") -> dict[str, int]:",
            f'    """Sum the amounts of the first records, grouped by label ({index})."""',
            "    totals: dict[str, int] = {}",
            "    for position, item in enumerate(records):",
            "        if position >= limit:",
            "            break",
            "        if item.amount < 0:",
            '            logger.warning("negative amount in %s", item.describe())',
            "            continue",
            "        totals[item.label] = totals.get(item.label, 0) + item.amount",
            "    return totals",
        ]
    lines += [
        "",
        "",
        "def dependencies() -> tuple:",
        '    """Return what this module is wired to (keeps every import used)."""',
        "    return (",
        *[f"        {name}," for name in used],
        "    )",
    ]
    return "\n".join(lines) + "\n", planted_lines


def generate(root: Path, params: Params) -> dict:
    """Write a tree under root (which must be empty or absent) and return its manifest."""
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} is not empty; pass a new folder")
    rng = random.Random(params.seed)
    used_names: set[str] = set()
    units = [_plan_unit(rng, "app", "shop", root, params, False)]
    used_names.add("shop")
    for name in _names(PACKAGE_WORDS, params.packages, used_names):
        units.append(_plan_unit(rng, "package", name, root, params, False))
    service_names = _names(UNIT_WORDS, params.services, used_names)
    layered_count = max(1, round(params.services * params.layered_share))
    layered_names = set(rng.sample(service_names, min(layered_count, len(service_names))))
    for name in service_names:
        units.append(_plan_unit(rng, "service", name, root, params, name in layered_names))
    _plan_imports(rng, units, params)
    _plant(rng, units)
    planted = []
    module_count = 0
    for unit in units:
        for module in unit.modules:
            source, lines = _render(rng, unit, module, params)
            module.path.parent.mkdir(parents=True, exist_ok=True)
            module.path.write_text(source)
            module_count += 1
            for code, line in lines.items():
                planted.append(
                    {"path": os.path.relpath(module.path, root), "line": line, "code": code}
                )
        if params.pyproject and unit.kind != "app":
            (unit.folder / "pyproject.toml").write_text(
                f'[project]\nname = "{unit.name}"\nversion = "1.0.0"\n'
            )
    manifest = {
        "params": params.__dict__,
        "modules": module_count,
        "units": len(units),
        "planted": sorted(planted, key=lambda item: item["code"]),
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    write_configs(root, root)
    return manifest


# Configuration for the built-in contracts and tach, read off any tree -------------------


@dataclass
class TreeModel:
    """Units, top-level names and layers of a tree, as the configuration writers use them."""

    root: Path
    modules: int
    app: list[str]
    packages: dict[str, list[str]]
    services: dict[str, list[str]]
    import_roots: list[Path]
    layered: dict[str, dict[str, list[str]]]
    """service top name -> layer -> dotted modules; '' lists the modules in no layer."""
    collisions: dict[str, int]


def read_tree(root: Path) -> TreeModel:
    """Read a tree with this project's workspace model (no code is imported or run)."""
    from service_boundaries.workspace import Kind, Workspace

    workspace = Workspace.discover(root)
    if not workspace.is_monorepo:
        raise SystemExit(f"{root} has no services/ or packages/ folder")
    app: list[str] = []
    packages: dict[str, list[str]] = {}
    services: dict[str, list[str]] = {}
    import_roots: list[Path] = []
    layered: dict[str, dict[str, list[str]]] = {}
    for unit in workspace.units:
        names = sorted(workspace.top_level_names(unit) - {"__pycache__"})
        import_roots.append(unit.import_root)
        if unit.import_root != unit.path and any(
            workspace.resolve(name, unit).unit is unit for name in _names_beside_src(unit)
        ):
            import_roots.append(unit.path)
        if unit.kind is Kind.APP:
            app.extend(names)
        elif unit.kind is Kind.PACKAGE:
            packages[unit.name] = names
        else:
            services[unit.name] = names
            if workspace.layering_active(unit):
                for top in names:
                    layers = _layers_of(workspace, unit, top)
                    if layers:
                        layered[top] = layers
    collisions = {
        name: len(owners) for name, owners in workspace.owners.items() if len(owners) > 1
    }
    modules = sum(
        1
        for unit in workspace.units
        for search_root in unit.search_roots
        for _ in _python_files(search_root, skip_src=search_root != unit.import_root)
    )
    return TreeModel(
        workspace.root, modules, app, packages, services, import_roots, layered, collisions
    )


def _names_beside_src(unit) -> list[str]:
    """Top-level names in a src layout's unit folder itself (``tests`` and the like)."""
    names = []
    for entry in os.listdir(unit.path):
        path = unit.path / entry
        if entry == "src" or entry.startswith("."):
            continue
        if entry.endswith(".py") or (path / "__init__.py").is_file():
            names.append(entry.removesuffix(".py"))
    return names


def _python_files(folder: Path, skip_src: bool) -> Iterable[Path]:
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".")
            and name != "__pycache__"
            and not (skip_src and Path(current) == folder and name == "src")
        ]
        for file_name in files:
            if file_name.endswith(".py"):
                yield Path(current) / file_name


def _layers_of(workspace, unit, top: str) -> dict[str, list[str]]:
    folder = unit.import_root / top
    if not folder.is_dir():
        return {}
    layers: dict[str, list[str]] = {}
    for entry in sorted(os.listdir(folder)):
        name = entry[:-3] if entry.endswith(".py") else entry
        if entry.startswith((".", "__")) or not name.isidentifier():
            continue
        if not (entry.endswith(".py") or (folder / entry).is_dir()):
            continue
        layer = workspace.layer_of(unit, f"{top}.{name}")
        layers.setdefault(layer or "", []).append(f"{top}.{name}")
    if not ({"core", "ports"} & set(layers)):
        return {}
    return layers


def _ini_list(values: Iterable[str]) -> str:
    return "".join(f"\n    {value}" for value in values)


def write_configs(tree: Path, out: Path) -> TreeModel:
    """Write the benchmark configuration for the tree at ``tree`` into ``out``."""
    model = read_tree(tree)
    out.mkdir(parents=True, exist_ok=True)
    root_field = "" if out.resolve() == tree.resolve() else f"root = {tree.resolve()}\n"
    ours = (
        "[importlinter]\nroot_package = service_boundaries\ncontract_types =\n"
        "    boundaries: service_boundaries.contracts.ImportBoundariesContract\n"
        "    layers: service_boundaries.contracts.ServiceLayersContract\n\n"
        "[importlinter:contract:boundaries]\nname = Boundaries\ntype = boundaries\n"
        f"{root_field}cache_dir = {{cache}}\n\n"
        "[importlinter:contract:layers]\nname = Layers\ntype = layers\n"
        f"{root_field}cache_dir = {{cache}}\n"
    )
    (out / "bench-ours.ini").write_text(ours.format(cache=".import_linter_cache"))
    (out / "bench-ours-nocache.ini").write_text(ours.format(cache="none"))
    for stale in ("bench-builtin.ini", "bench-pythonpath.txt", "tach.toml"):
        (out / stale).unlink(missing_ok=True)
    if model.collisions:
        return model
    (out / "bench-pythonpath.txt").write_text(
        os.pathsep.join(str(path) for path in model.import_roots) + "\n"
    )
    (out / "bench-builtin.ini").write_text(_builtin_config(model))
    (out / "tach.toml").write_text(_tach_config(model))
    return model


def _builtin_config(model: TreeModel) -> str:
    services = sorted(name for names in model.services.values() for name in names)
    packages = sorted(name for names in model.packages.values() for name in names)
    every = sorted([*model.app, *services, *packages])
    parts = [
        "[importlinter]",
        f"root_packages ={_ini_list(every)}",
        "include_external_packages = False",
        "",
    ]

    def forbidden(key: str, name: str, sources: list[str], targets: list[str]) -> None:
        if not sources or not targets:
            return
        parts.extend(
            [
                f"[importlinter:contract:{key}]",
                f"name = {name}",
                "type = forbidden",
                f"source_modules ={_ini_list(sources)}",
                f"forbidden_modules ={_ini_list(targets)}",
                "allow_indirect_imports = True",
                "",
            ]
        )

    # A forbidden contract skips a source and a forbidden module that are the same, so
    # one contract covers "no service imports another service".
    forbidden("services", "Services import neither the app nor other services (BND101, 102)",
              services, [*model.app, *services])  # fmt: skip
    forbidden("app", "The app imports no service (BND103)", model.app, services)
    forbidden("packages", "Packages import neither the app nor services (BND104, 105)",
              packages, [*model.app, *services])  # fmt: skip
    for top, layers in sorted(model.layered.items()):
        layer_lines = []
        for layer in ("main", "adapters"):
            if layer in layers:
                layer_lines.append(" | ".join(layers[layer]))
        # ':' joins non-independent siblings: ports and core may import each other.
        lower = [*layers.get("ports", []), *layers.get("core", [])]
        if lower:
            layer_lines.append(" : ".join(lower))
        parts.extend(
            [
                f"[importlinter:contract:layers-{top}]",
                f"name = Layers of {top} (BND201..203)",
                "type = layers",
                f"layers ={_ini_list(layer_lines)}",
                "",
            ]
        )
        layered_modules = [m for key in ("core", "ports", "adapters") for m in layers.get(key, [])]
        forbidden(f"no-layer-{top}", f"Layers of {top} import no module outside them",
                  layered_modules, layers.get("", []))  # fmt: skip
    return "\n".join(parts)


def _tach_config(model: TreeModel) -> str:
    root = model.root
    roots = [os.path.relpath(path, root) for path in model.import_roots]
    packages = sorted(name for names in model.packages.values() for name in names)
    lines = [
        "# Generated by benchmarks/generate.py: the boundary rules as tach modules.",
        f"source_roots = [{', '.join(json.dumps(path) for path in roots)}]",
        'root_module = "ignore"',
        "exclude = []",
        "",
    ]

    def module(path: str, depends_on: Iterable[str]) -> None:
        lines.extend(
            [
                "[[modules]]",
                f'path = "{path}"',
                f"depends_on = [{', '.join(json.dumps(d) for d in sorted(set(depends_on)))}]",
                "",
            ]
        )

    for name in model.app:
        module(name, [*packages, *model.app])
    for name in packages:
        module(name, packages)
    for names in model.services.values():
        for name in names:
            if name not in model.layered:
                module(name, [*packages, *names])
                continue
            layers = model.layered[name]
            everything = [m for modules in layers.values() for m in modules]
            # The service's own module contains the files in no layer, which may use all.
            module(name, [*packages, *everything])
            for layer, allowed in LAYER_ALLOWED.items():
                for dotted in layers.get(layer, []):
                    depends = [m for key in allowed for m in layers.get(key, [])]
                    module(dotted, [*packages, *depends])
            for dotted in layers.get("main", []):
                module(dotted, [*packages, name, *everything])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--existing", type=Path, help="read this tree instead of generating")
    parser.add_argument("--services", type=int, default=Params.services)
    parser.add_argument("--packages", type=int, default=Params.packages)
    parser.add_argument("--modules-per-unit", type=int, default=Params.modules_per_unit)
    parser.add_argument(
        "--import-density",
        type=float,
        default=Params.import_density,
        help="mean workspace imports per module",
    )
    parser.add_argument("--src-layout-share", type=float, default=Params.src_layout_share)
    parser.add_argument("--layered-share", type=float, default=Params.layered_share)
    parser.add_argument(
        "--tests-share",
        type=float,
        default=Params.tests_share,
        help="share of units with a top-level tests/ (names collide when above 0)",
    )
    parser.add_argument(
        "--functions", type=int, default=Params.functions, help="mean functions per module"
    )
    parser.add_argument(
        "--pyproject",
        action="store_true",
        help="write a pyproject.toml per unit (tach then skips imports between units)",
    )
    parser.add_argument("--seed", type=int, default=Params.seed)
    args = parser.parse_args(argv)
    if args.existing is not None:
        model = write_configs(args.existing, args.out)
        print(
            f"{model.root}: {model.modules} modules; app {len(model.app)} names, "
            f"{len(model.packages)} packages, {len(model.services)} services "
            f"({len(model.layered)} layered)"
        )
        if model.collisions:
            names = ", ".join(sorted(model.collisions)[:10])
            print(f"names owned by several units ({names}): no built-in or tach config")
        print(f"configuration written to {args.out}")
        return 0
    params = Params(
        services=args.services,
        packages=args.packages,
        modules_per_unit=args.modules_per_unit,
        import_density=args.import_density,
        src_layout_share=args.src_layout_share,
        layered_share=args.layered_share,
        tests_share=args.tests_share,
        functions=args.functions,
        pyproject=args.pyproject,
        seed=args.seed,
    )
    manifest = generate(args.out, params)
    print(
        f"{args.out}: {manifest['modules']} modules in {manifest['units']} units, "
        f"{len(manifest['planted'])} planted violations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Explain the rules for one file: its unit, its layer and what it may import.

TARGET is a file path, or a dotted module name such as billing.core.invoice. With
--import NAME, judge that one import as if it were written in the file, and give the
rule behind the verdict. Relative names such as '..adapters.memory' are resolved against
the file. The exit status is then 1 when the import is not allowed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..imports import ImportedName, absolute_name
from ..rules import (
    ALLOWED_KINDS,
    ALLOWED_LAYERS,
    BOUNDARY_CODES,
    CODES,
    LAYER_CODES,
    Violation,
    climbing_relative_import,
    judge_resolved,
)
from ..workspace import Kind, Location, Resolution, Unit, Workspace
from . import EXIT_OK, EXIT_VIOLATIONS
from ._workspace import Context, add_workspace_arguments, load_context
from .map import layering

HELP = "show a file's unit, layer and allowed imports; --import NAME judges one import"

LAYERS = ("core", "ports", "adapters", "main")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the target, --import, --format and the workspace options."""
    parser.add_argument("target", metavar="TARGET", help="a file path or a dotted module name")
    parser.add_argument(
        "--import",
        dest="imported",
        metavar="NAME",
        help="an imported name to judge, absolute ('billing.adapters.memory') or relative "
        "('..adapters.memory')",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )
    add_workspace_arguments(parser, type_checking=False)


@dataclass(frozen=True)
class Target:
    """The file being explained, located in the workspace."""

    path: Path
    location: Location


def run(args: argparse.Namespace) -> int:
    """Print the explanation; with --import, return 1 when the import is not allowed."""
    as_path = Path(args.target)
    if as_path.is_file():
        context = load_context(args, start=as_path.parent)
        target = _target_from_path(context, as_path)
    elif _is_dotted_name(args.target):
        context = load_context(args)
        target = _target_from_module(context.workspace, args.target)
    else:
        raise ConfigError(
            f"{args.target!r} is neither a file nor a dotted module name; give a path such "
            "as services/billing/src/billing/api.py or a module such as billing.api."
        )
    document = describe_target(context, target)
    status = EXIT_OK
    if args.imported is not None:
        verdict = judge_import(
            context.workspace, target.location, args.imported, public_api=context.public_api
        )
        document["import"] = verdict
        if not verdict["allowed"]:
            status = EXIT_VIOLATIONS
    if args.format == "json":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(document))
    return status


def _is_dotted_name(text: str) -> bool:
    return all(part.isidentifier() for part in text.split("."))


def _target_from_path(context: Context, path: Path) -> Target:
    path = Path(os.path.abspath(path))
    if path.suffix != ".py":
        raise ConfigError(f"{path} is not a Python file; give a .py file or a module name.")
    location = context.workspace.locate(path)
    if location is None:
        raise ConfigError(
            f"{path} is in no unit of the workspace at {context.root}: units are the app "
            "folder and the folders under the services and packages folders."
        )
    return Target(path, location)


def _target_from_module(workspace: Workspace, module: str) -> Target:
    parts = module.split(".")
    found: list[Path] = []
    for unit in workspace.owners.get(parts[0], ()):
        for search_root in unit.search_roots:
            base = search_root.joinpath(*parts)
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file() and candidate not in found:
                    found.append(candidate)
    if not found:
        raise ConfigError(
            f"module {module!r} was not found in any unit of the workspace at "
            f"{workspace.root}; check the spelling, or give the file path."
        )
    if len(found) > 1:
        files = ", ".join(str(path.relative_to(workspace.root)) for path in found)
        raise ConfigError(
            f"module {module!r} matches several files ({files}); give the file path."
        )
    location = workspace.locate(found[0])
    assert location is not None
    return Target(found[0], location)


def describe_target(context: Context, target: Target) -> dict[str, object]:
    """Return the file's unit and layer and the lists of what it may and may not import."""
    workspace = context.workspace
    location = target.location
    unit = location.unit
    unit_layering = layering(workspace, unit)
    layer = workspace.layer_of(unit, location.module) if unit_layering.active else None
    may: list[str] = ["the standard library and third-party packages"]
    may_not: list[str] = []
    for other in workspace.units:
        if other == unit:
            continue
        if other.kind in ALLOWED_KINDS[unit.kind]:
            may.append(other.describe())
        else:
            may_not.append(f"{other.describe()} ({BOUNDARY_CODES[(unit.kind, other.kind)]})")
    allowed_layers = ALLOWED_LAYERS.get(layer or "") if unit_layering.active else None
    if allowed_layers is None:
        may.append(f"anything in {unit.describe()} itself")
    else:
        own = [name for name in LAYERS if name in allowed_layers]
        others = [name for name in LAYERS if name not in allowed_layers]
        code = LAYER_CODES[layer or ""]
        may.append(f"layers {' and '.join(own)} of {unit.describe()}")
        may_not.append(
            f"layers {', '.join(others)} and modules in no layer of {unit.describe()} ({code})"
        )
    if context.public_api:
        may_not.append("submodules of other packages: only their top-level module (BND106)")
    ambiguous = sorted(name for name, owners in workspace.owners.items() if len(owners) > 1)
    if ambiguous:
        may_not.append(
            f"names that several units own, unless the full name exists in one unit only "
            f"(BND901): {', '.join(ambiguous)}"
        )
    may_not.append("a relative import that climbs above its top-level package (BND902)")
    return {
        "file": context.relative(target.path),
        "module": location.module,
        "unit": {
            "kind": unit.kind.value,
            "name": unit.name,
            "path": context.relative(unit.path),
            "import_root": context.relative(unit.import_root),
        },
        "layering_active": unit_layering.active,
        "layering_reason": unit_layering.reason,
        "layer": layer,
        "may_import": may,
        "may_not_import": may_not,
    }


def judge_import(
    workspace: Workspace, location: Location, written: str, public_api: bool = False
) -> dict[str, object]:
    """Return the verdict on one import written in the target, with the rule behind it."""
    level = len(written) - len(written.lstrip("."))
    name = written[level:]
    if (name and not _is_dotted_name(name)) or (not name and not level):
        raise ConfigError(
            f"option --import: {written!r} is not a module name; give a dotted name such as "
            "'money.format' or a relative one such as '..adapters'."
        )
    unit = location.unit
    imported = ImportedName(name, level, 0, 0, False)
    full = absolute_name(imported, location.module, location.is_package)
    verdict: dict[str, object] = {"written": written, "absolute": full}
    if full is None:
        violation: Violation | None = climbing_relative_import(unit, location.module, written)
        resolution = Resolution(None)
    else:
        resolution = workspace.resolve(full, unit)
        violation = judge_resolved(
            workspace, unit, location.module, full, resolution, public_api=public_api
        )
    verdict["resolved_to"] = _resolved_to(workspace, resolution, full)
    if violation is None:
        assert full is not None
        verdict.update(allowed=True, reason=_allowed_reason(workspace, location, full, resolution))
        return verdict
    code = CODES[violation.code]
    verdict.update(
        allowed=False,
        code=code.code,
        message=violation.message,
        summary=code.summary,
        rule=code.rule,
        fix=code.fix,
        noqa=f"# noqa: {code.code}",
    )
    if full is not None:
        verdict["ignore_imports"] = f"{location.module} -> {violation.imported}"
    return verdict


def _resolved_to(workspace: Workspace, resolution: Resolution, full: str | None) -> str:
    if full is None:
        return "nothing: the relative import climbs above its top-level package"
    if resolution.ambiguous:
        return " and ".join(unit.describe() for unit in resolution.ambiguous)
    if resolution.unit is None:
        return "no unit of the workspace (the standard library or a third-party package)"
    where = resolution.unit.describe()
    if resolution.unit.kind is Kind.SERVICE and workspace.layering_active(resolution.unit):
        depth = resolution.depth or len(full.split("."))
        layer = workspace.layer_of(resolution.unit, ".".join(full.split(".")[:depth]))
        where += f", layer {layer!r}" if layer else ", no layer"
    return where


def _allowed_reason(
    workspace: Workspace, location: Location, full: str, resolution: Resolution
) -> str:
    unit = location.unit
    target: Unit | None = resolution.unit
    if target is None:
        return "names outside the workspace are always allowed"
    if target != unit:
        return f"{_plural(unit.kind)} may import {_plural(target.kind)}"
    if not workspace.layering_active(unit):
        return f"a unit may import itself, and {unit.describe()} has no layers to check"
    layer = workspace.layer_of(unit, location.module)
    if layer not in ALLOWED_LAYERS:
        where = f"layer {layer!r}" if layer else "no layer"
        return f"{location.module!r} is in {where}, which may import anything in its service"
    allowed = " and ".join(name for name in LAYERS if name in ALLOWED_LAYERS[layer])
    return f"{layer} may import {allowed}"


def _plural(kind: Kind) -> str:
    return "the app" if kind is Kind.APP else f"{kind.value}s"


def render_text(document: dict[str, object]) -> str:
    """Return the explanation as text."""
    unit = document["unit"]
    assert isinstance(unit, dict)
    if document["layering_active"]:
        layer = document["layer"] or "no layer"
        layer_line = f"{layer} (layering is active: {document['layering_reason']})"
    else:
        layer_line = f"none (layering is off: {document['layering_reason']})"
    described = "the app" if unit["kind"] == "app" else f"{unit['kind']} {unit['name']!r}"
    lines = [
        f"File:   {document['file']}",
        f"Module: {document['module']}",
        f"Unit:   {described} (folder {unit['path']}/, import root {unit['import_root']}/)",
        f"Layer:  {layer_line}",
        "",
        "May import:",
        *(f"  - {item}" for item in document["may_import"]),  # type: ignore[attr-defined]
        "May not import:",
        *(f"  - {item}" for item in document["may_not_import"]),  # type: ignore[attr-defined]
    ]
    verdict = document.get("import")
    if isinstance(verdict, dict):
        lines.append("")
        lines.extend(_render_verdict(document, verdict))
    return "".join(f"{line}\n" for line in lines)


def _render_verdict(document: dict[str, object], verdict: dict[str, object]) -> list[str]:
    written = verdict["written"]
    lines = [f"Import {written!r}:"]
    if verdict["absolute"] is not None and verdict["absolute"] != written:
        lines.append(f"  absolute name: {verdict['absolute']}")
    lines.append(f"  resolves to:   {verdict['resolved_to']}")
    if verdict["allowed"]:
        lines.append(f"  verdict:       allowed: {verdict['reason']}")
        return lines
    lines.extend(
        [
            f"  verdict:       not allowed, {verdict['code']} ({verdict['summary']})",
            f"  message:       {verdict['code']} {verdict['message']}",
            f"  rule:          {verdict['rule']}",
            f"  fix:           {verdict['fix']}",
            f"  to silence:    add '{verdict['noqa']}' to the import line (flake8, check)",
        ]
    )
    if "ignore_imports" in verdict:
        lines.append(
            f"                 or list '{verdict['ignore_imports']}' in the contract's "
            "ignore_imports (lint-imports)"
        )
    lines.append(f"  details:       docs/codes/{verdict['code']}.md")
    return lines

"""Show the workspace as the checks see it.

Lists the root and each unit with its kind, folder, import root and the top-level names
it owns. For each service it tells whether layering is active and why. Last come the
names that several units own: importing one of those from another unit is BND901.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..workspace import Kind, Unit, Workspace
from . import EXIT_OK
from ._workspace import Context, add_workspace_arguments, load_context

HELP = "show the discovered workspace: units, owned names, layering, ambiguous names"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register --format and the workspace options."""
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )
    add_workspace_arguments(parser, public_api=False, type_checking=False)


@dataclass(frozen=True)
class Layering:
    """Whether a service's layers are checked, and the folders that switch them on."""

    active: bool
    reason: str
    layer_folders: tuple[str, ...]


def layering(workspace: Workspace, unit: Unit) -> Layering:
    """Return whether layering is active in a unit and why, with root-relative folders.

    Layering is active in a service whose import root, or a package directly under it,
    has a core or ports folder.
    """
    if unit.kind is not Kind.SERVICE:
        owner = "the app has" if unit.kind is Kind.APP else "packages have"
        return Layering(False, f"{owner} no layers", ())
    names = workspace.names
    opt_in = set(names.core) | set(names.ports)
    bases = [unit.import_root, *_subfolders(unit.import_root)]
    found = tuple(
        (base / name).relative_to(workspace.root).as_posix()
        for base in bases
        for name in sorted(opt_in)
        if (base / name).is_dir()
    )
    active = workspace.layering_active(unit)
    wanted = " or ".join(f"{name}/" for name in sorted(opt_in))
    if active:
        return Layering(True, f"has {', '.join(f'{folder}/' for folder in found)}", found)
    return Layering(False, f"no {wanted} folder in its import root or a package in it", ())


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(
            child for child in folder.iterdir() if child.is_dir() and child.name.isidentifier()
        )
    except OSError:
        return []


def describe(context: Context) -> dict[str, object]:
    """Return the workspace as a JSON-ready dict."""
    workspace = context.workspace
    units = []
    for unit in workspace.units:
        unit_layering = layering(workspace, unit)
        units.append(
            {
                "kind": unit.kind.value,
                "name": unit.name,
                "path": context.relative(unit.path),
                "import_root": context.relative(unit.import_root),
                "top_level_names": sorted(workspace.top_level_names(unit)),
                "layering": {
                    "active": unit_layering.active,
                    "reason": unit_layering.reason,
                    "folders": list(unit_layering.layer_folders),
                },
            }
        )
    ambiguous = {
        name: [{"kind": unit.kind.value, "name": unit.name} for unit in owners]
        for name, owners in sorted(workspace.owners.items())
        if len(owners) > 1
    }
    return {
        "root": workspace.root.as_posix(),
        "names": {key: list(value) for key, value in vars(context.names).items()},
        "names_source": context.names_source,
        "units": units,
        "ambiguous_names": ambiguous,
        "problems": list(workspace.problems),
    }


def run(args: argparse.Namespace) -> int:
    """Print the workspace map."""
    context = load_context(args)
    if args.format == "json":
        sys.stdout.write(json.dumps(describe(context), indent=2) + "\n")
        return EXIT_OK
    sys.stdout.write(render_text(context))
    return EXIT_OK


def render_text(context: Context) -> str:
    """Return the human-readable map."""
    workspace = context.workspace
    lines = [f"Workspace root: {workspace.root}", f"Folder names: {context.names_source}"]
    if context.names_source != "defaults":
        for key, value in vars(context.names).items():
            lines.append(f"  {key} = {', '.join(value)}")
    lines.append("")
    lines.append(f"Units ({len(workspace.units)}):")
    for unit in workspace.units:
        lines.append(f"  {unit.describe()}")
        lines.append(f"    folder:      {context.relative(unit.path)}/")
        lines.append(f"    import root: {context.relative(unit.import_root)}/")
        owned = sorted(workspace.top_level_names(unit))
        lines.append(f"    owns:        {', '.join(owned) if owned else '(no importable names)'}")
        if unit.kind is Kind.SERVICE:
            unit_layering = layering(workspace, unit)
            state = "active" if unit_layering.active else "inactive"
            lines.append(f"    layering:    {state} ({unit_layering.reason})")
    lines.append("")
    ambiguous = {name: units for name, units in workspace.owners.items() if len(units) > 1}
    if ambiguous:
        lines.append(
            "Names owned by several units (another unit importing one gets BND901 unless "
            "the full name exists in one owner only):"
        )
        for name, owners in sorted(ambiguous.items()):
            lines.append(f"  {name}: {', '.join(unit.describe() for unit in owners)}")
    else:
        lines.append("Names owned by several units: none")
    if workspace.problems:
        lines.append("")
        lines.append("Problems:")
        lines.extend(f"  {problem}" for problem in workspace.problems)
    return "".join(f"{line}\n" for line in lines)

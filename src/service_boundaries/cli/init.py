"""Write an import-linter configuration and a tox environment for this repository.

Writes .importlinter in the workspace root with the contract types for imports
(BND1xx, BND2xx, BND9xx) and for the service layout (BND3xx). The folder names, the
TYPE_CHECKING setting and the public-API rule found for the repository are carried over.
Then adds a [testenv:boundaries] environment that runs it to tox.ini, creating tox.ini
when there is none. Nothing is overwritten without --force: an existing .importlinter,
or an existing [testenv:boundaries] section, stops the command before any file is
written.
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..names import DEFAULT_NAMES, Names
from . import EXIT_OK
from ._workspace import Context, add_workspace_arguments, load_context

HELP = "write an import-linter configuration (.importlinter) and a tox environment"


TOX_ENV = "boundaries"
TOX_SECTION = f"testenv:{TOX_ENV}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register --output, --no-tox, --force, --dry-run and the workspace options."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write the import-linter configuration (default: .importlinter in "
        "the workspace root)",
    )
    parser.add_argument(
        "--no-tox",
        action="store_true",
        help="do not touch tox.ini; print the tox environment instead",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing configuration file and tox environment",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be written, and write nothing",
    )
    add_workspace_arguments(parser)


@dataclass(frozen=True)
class PlannedFile:
    """A file the command writes: its path, its new text and what the change is."""

    path: Path
    text: str
    action: str
    shown: str


def run(args: argparse.Namespace) -> int:
    """Plan both files, stop if one would be overwritten, then write and report them."""
    context = load_context(args)
    output = Path(os.path.abspath(args.output)) if args.output else context.root / ".importlinter"
    config_text = importlinter_config(context, output)
    plans = [_plan_config(output, config_text, args.force)]
    tox_text = tox_environment(output, output.parent)
    if not args.no_tox:
        plans.append(_plan_tox(output.parent / "tox.ini", tox_text, args.force))

    for plan in plans:
        if not args.dry_run:
            _write(plan.path, plan.text)
        verb = "Would write" if args.dry_run else "Wrote"
        print(f"{verb} {_shown(plan.path)} ({plan.action}):")
        print(_indent(plan.shown))
    if args.no_tox:
        print("Add this environment to tox.ini to run the contracts with 'tox -e boundaries':")
        print(_indent(tox_text))
    _warn_about_other_configs(output.parent, output)
    relative = os.path.relpath(output, output.parent)
    print(f"Run the contracts from {_shown(output.parent)} with:")
    print(f"    lint-imports {relative}")
    if not args.no_tox:
        print("or with:  tox -e boundaries")
    return EXIT_OK


def importlinter_config(context: Context, config: Path) -> str:
    """Return the text of an import-linter configuration with the three contract types.

    lint-imports is expected to run from the folder of ``config``, so ``root`` is written
    relative to it.
    """
    root = Path(os.path.relpath(context.root, config.parent)).as_posix()
    shared_fields = [f"root = {root}", *_names_field(context.names)]
    lines = [
        "# Import boundaries and service layout of this repository, checked by import-linter:",
        f"#     lint-imports {config.name}",
        "# Written by 'service-boundaries init'; see the service-boundaries configuration",
        "# reference for every field.",
        "[importlinter]",
        "# import-linter requires root packages. These contracts build their own graphs from",
        "# the folder layout and do not use it, so a package that is always importable where",
        "# the contracts run is named.",
        "root_package = service_boundaries",
        "contract_types =",
        "    boundaries: service_boundaries.contracts.ImportBoundariesContract",
        "    layers: service_boundaries.contracts.ServiceLayersContract",
        "    layout: service_boundaries.contracts.ServiceLayoutContract",
    ]
    if context.exclude_type_checking:
        lines.append("exclude_type_checking_imports = True")
    ignore_example = [
        "# Imports to accept anyway, as 'importer -> imported' (wildcards * and ** work):",
        "# ignore_imports =",
        "#     billing.legacy -> shop.catalog",
    ]
    for section, name in (
        ("boundaries", "Services, packages and the app import only what they may"),
        ("layers", "Service layers import only what they may"),
    ):
        lines += ["", f"[importlinter:contract:{section}]", f"name = {name}"]
        lines += [f"type = {section}", *shared_fields]
        if section == "boundaries" and context.public_api:
            lines.append("public_api = true")
        lines += ignore_example
    lines += [
        "",
        "[importlinter:contract:layout]",
        "name = Every service has what it needs to ship on its own",
        "type = layout",
        *shared_fields,
        "# compose = deploy/compose.prod.yaml    (default: auto, found at the root; none to skip)",
        "# disable =",
        "#     BND306",
        "#     billing:BND309",
    ]
    return "\n".join(lines) + "\n"


def _names_field(names: Names) -> list[str]:
    """Return the ``names`` field for the keys that differ from the defaults."""
    changed = [
        (key, value) for key, value in vars(names).items() if value != getattr(DEFAULT_NAMES, key)
    ]
    if not changed:
        return []
    return ["names ="] + [f"    {key} = {', '.join(value)}" for key, value in changed]


def tox_environment(config: Path, run_folder: Path) -> str:
    """Return a tox environment that runs the contracts from ``run_folder``."""
    relative = Path(os.path.relpath(config, run_folder)).as_posix()
    return (
        f"[{TOX_SECTION}]\n"
        "description = check import boundaries with import-linter\n"
        "skip_install = true\n"
        "deps =\n"
        "    service-boundaries\n"
        "commands =\n"
        f"    lint-imports {relative}\n"
    )


def _plan_config(path: Path, text: str, force: bool) -> PlannedFile:
    if path.exists() and not force:
        raise ConfigError(
            f"{path} already exists; pass --force to replace it, or --output to write elsewhere."
        )
    action = "replaced" if path.exists() else "new file"
    return PlannedFile(path, text, action, text)


def _plan_tox(path: Path, environment: str, force: bool) -> PlannedFile:
    if not path.exists():
        text = f"[tox]\nenv_list = {TOX_ENV}\n\n{environment}"
        return PlannedFile(path, text, "new file", text)
    current = _read(path)
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(current, source=str(path))
    except configparser.Error as error:
        raise ConfigError(f"cannot read {path}: {error}; fix it, or pass --no-tox.") from None
    if not parser.has_section(TOX_SECTION):
        separator = "" if current.endswith("\n\n") or not current else "\n"
        if current and not current.endswith("\n"):
            separator = "\n\n"
        return PlannedFile(path, current + separator + environment, "section added", environment)
    if not force:
        raise ConfigError(
            f"{path} already has a [{TOX_SECTION}] section; pass --force to replace it, or "
            "--no-tox to leave tox.ini alone."
        )
    return PlannedFile(
        path, _replace_section(current, environment), "section replaced", environment
    )


def _replace_section(text: str, environment: str) -> str:
    """Replace the [testenv:boundaries] section, up to the next section header."""
    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\[(?P<name>[^\]]+)\]\s*$")
    start = next(
        index
        for index, line in enumerate(lines)
        if (match := header.match(line)) and match.group("name").strip() == TOX_SECTION
    )
    end = next(
        (index for index in range(start + 1, len(lines)) if header.match(lines[index])),
        len(lines),
    )
    following = "\n" if end < len(lines) else ""
    return "".join(lines[:start]) + environment + following + "".join(lines[end:])


def _warn_about_other_configs(folder: Path, output: Path) -> None:
    """Tell the user when lint-imports without --config would read another file first."""
    others = []
    setup_cfg = folder / "setup.cfg"
    if setup_cfg.is_file() and re.search(r"^\[importlinter\]", _read(setup_cfg), re.MULTILINE):
        others.append(setup_cfg)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and re.search(
        r"^\[tool\.importlinter\]", _read(pyproject), re.MULTILINE
    ):
        others.append(pyproject)
    if others and output.name == ".importlinter":
        names = " and ".join(str(path.name) for path in others)
        print(
            f"service-boundaries: note: {names} also configures import-linter and is read "
            "before .importlinter; always pass .importlinter to lint-imports.",
            file=sys.stderr,
        )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror or error}") from None


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines()).rstrip("\n")

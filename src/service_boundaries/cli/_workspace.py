"""Workspace options shared by the subcommands: root, folder names and the flake8 config.

The command line reads the same settings as the flake8 plugin, so a repository configured
for flake8 needs no second configuration. It reads the ``boundaries-*`` keys of the
``[flake8]`` section in ``setup.cfg``, ``tox.ini`` or ``.flake8``, in the nearest folder
at or above the current one that has one of them, as flake8 7 looks for its config file.
Command-line options override the file.
"""

from __future__ import annotations

import argparse
import configparser
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, WorkspaceError
from ..names import Names, parse_names
from ..workspace import Workspace, find_root

logger = logging.getLogger(__name__)

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")
"""Files flake8 reads its ``[flake8]`` section from, in flake8's order."""


@dataclass(frozen=True)
class FlakeConfig:
    """The plugin's keys read from a ``[flake8]`` section; None where a key is missing."""

    path: Path | None = None
    root: str | None = None
    names: str | None = None
    exclude_type_checking: bool | None = None
    public_api: bool | None = None


@dataclass(frozen=True)
class Context:
    """The workspace a command works on, with the settings it was discovered with."""

    workspace: Workspace
    names: Names
    names_source: str
    exclude_type_checking: bool
    public_api: bool
    config: FlakeConfig

    @property
    def root(self) -> Path:
        """The workspace root folder."""
        return self.workspace.root

    def relative(self, path: Path) -> str:
        """Return a path relative to the root, with '/' separators, when it is inside."""
        path = Path(os.path.abspath(path))
        if path.is_relative_to(self.root):
            relative = path.relative_to(self.root).as_posix()
            return relative or "."
        return path.as_posix()


def add_workspace_arguments(
    parser: argparse.ArgumentParser, public_api: bool = True, type_checking: bool = True
) -> None:
    """Add --root and --names, and unless turned off, --public-api and
    --exclude-type-checking."""
    group = parser.add_argument_group("workspace")
    group.add_argument(
        "--root",
        metavar="PATH",
        help="folder that holds services/ and packages/ (default: boundaries-root from "
        "the flake8 config, else the nearest folder at or above the current one that has "
        "either; the same as flake8's --boundaries-root)",
    )
    group.add_argument(
        "--names",
        metavar="KEY=NAMES;...",
        help="folder names of areas and layers, as 'key = name, name' entries separated by "
        "';', for example 'services = services, apps; core = core, domain' (the same as "
        "flake8's --boundaries-names)",
    )
    if public_api:
        group.add_argument(
            "--public-api",
            action="store_true",
            default=None,
            help="report BND106 for imports of another package's submodules (the same as "
            "flake8's --boundaries-public-api)",
        )
    if type_checking:
        group.add_argument(
            "--exclude-type-checking",
            action="store_true",
            default=None,
            help="skip imports under 'if TYPE_CHECKING:' (the same as flake8's "
            "--boundaries-exclude-type-checking)",
        )


def read_flake8_config(start: Path) -> FlakeConfig:
    """Return the plugin's keys from the nearest flake8 config file at or above ``start``."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        for file_name in CONFIG_FILES:
            path = candidate / file_name
            if not path.is_file():
                continue
            parser = configparser.RawConfigParser()
            try:
                parser.read(path, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError) as error:
                raise ConfigError(f"cannot read {path}: {error}") from None
            if not parser.has_section("flake8"):
                continue
            section = parser["flake8"]
            return FlakeConfig(
                path=path,
                root=_config_value(section, "boundaries-root"),
                names=_config_value(section, "boundaries-names"),
                exclude_type_checking=_config_flag(
                    path, section, "boundaries-exclude-type-checking"
                ),
                public_api=_config_flag(path, section, "boundaries-public-api"),
            )
    return FlakeConfig()


def _config_value(section: configparser.SectionProxy, key: str) -> str | None:
    # flake8 accepts both spellings of an option in its config files.
    for spelling in (key, key.replace("-", "_")):
        if spelling in section:
            return section[spelling]
    return None


def _config_flag(path: Path, section: configparser.SectionProxy, key: str) -> bool | None:
    value = _config_value(section, key)
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in {"1", "yes", "true", "on"}:
        return True
    if lowered in {"0", "no", "false", "off"}:
        return False
    raise ConfigError(f"{path}: [flake8] {key} = {value!r} is not a boolean; use true or false.")


def load_context(args: argparse.Namespace, start: Path | None = None) -> Context:
    """Discover the workspace from the options, the flake8 config and the current folder.

    ``start`` is where the search for the root begins when --root is not given (the
    current folder by default). Raises ConfigError or WorkspaceError with a message for
    the user.
    """
    start = Path(os.path.abspath(start or Path.cwd()))
    config = read_flake8_config(Path.cwd())
    raw_names = getattr(args, "names", None)
    if raw_names is not None:
        names = parse_names(raw_names, "option --names")
        names_source = "option --names"
    elif config.names:
        names = parse_names(config.names, f"{config.path} [flake8] boundaries-names")
        names_source = f"{config.path} [flake8] boundaries-names"
    else:
        names = parse_names(None, "defaults")
        names_source = "defaults"

    root = _root_from_options(args, config, start, names)
    workspace = Workspace.discover(root, names)
    if not workspace.is_monorepo:
        areas = ", ".join(f"{folder}/" for folder in names.services + names.packages)
        raise WorkspaceError(
            f"{root} is not a monorepo: it has none of {areas}. Pass the repository's top "
            "folder with --root, or map your folder names with --names."
        )
    for problem in workspace.problems:
        logger.warning(problem)

    exclude = getattr(args, "exclude_type_checking", None)
    if exclude is None:
        exclude = bool(config.exclude_type_checking)
    public_api = getattr(args, "public_api", None)
    if public_api is None:
        public_api = bool(config.public_api)
    return Context(workspace, names, names_source, bool(exclude), bool(public_api), config)


def _root_from_options(
    args: argparse.Namespace, config: FlakeConfig, start: Path, names: Names
) -> Path:
    raw_root = getattr(args, "root", None)
    if raw_root:
        root = Path(os.path.abspath(raw_root))
        if not root.is_dir():
            raise ConfigError(
                f"option --root: {raw_root!r} is not a folder; give the folder that holds "
                "services/ and packages/, or leave the option out."
            )
        return root
    if config.root and config.path is not None:
        root = Path(os.path.abspath(config.path.parent / config.root))
        if not root.is_dir():
            raise ConfigError(
                f"{config.path} [flake8] boundaries-root: {config.root!r} is not a folder."
            )
        return root
    found = find_root(start, names)
    if found is None:
        areas = " or ".join(f"{folder}/" for folder in names.services + names.packages)
        raise WorkspaceError(
            f"no workspace found: neither {start} nor a folder above it has {areas}. Run the "
            "command inside the repository, or pass its top folder with --root."
        )
    return found

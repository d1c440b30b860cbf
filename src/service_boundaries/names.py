"""Folder names of areas and layers, with the parser shared by both front ends.

A repository may call its services folder ``apps`` and its core layer ``domain``. Users
write the mapping as lines of ``key = name, name`` (flake8 option, INI field), as one
line with ``;`` between entries (command line), or as a TOML table.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from .errors import ConfigError


@dataclass(frozen=True)
class Names:
    """Accepted folder names for each area and each layer."""

    app: tuple[str, ...] = ("src",)
    services: tuple[str, ...] = ("services",)
    packages: tuple[str, ...] = ("packages",)
    core: tuple[str, ...] = ("core",)
    ports: tuple[str, ...] = ("ports",)
    adapters: tuple[str, ...] = ("adapters",)
    main: tuple[str, ...] = ("main", "__main__")

    def layer_of_folder(self, folder: str) -> str | None:
        """Return the layer ('core', 'ports' or 'adapters') a folder name stands for."""
        for layer in ("core", "ports", "adapters"):
            if folder in getattr(self, layer):
                return layer
        return None


KEYS = tuple(field.name for field in fields(Names))
DEFAULT_NAMES = Names()


def parse_names(raw: str | Iterable[str] | Mapping[str, object] | None, source: str) -> Names:
    """Build ``Names`` from user input, reporting every bad entry at once.

    ``source`` names where the value was read (an option or a contract field) so that
    the error message can point there; it may be empty when the caller adds it.
    """
    if raw is None or raw == "":
        return DEFAULT_NAMES
    if isinstance(raw, Mapping):
        entries = [(str(key), value) for key, value in raw.items()]
    else:
        lines = raw.replace(";", "\n").splitlines() if isinstance(raw, str) else list(raw)
        entries = []
        for line in (part.strip() for chunk in lines for part in str(chunk).split(";")):
            if not line:
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise ConfigError(
                    f"{_prefix(source)}invalid entry {line!r}; expected 'key = name, name', "
                    f"for example 'services = services, apps'."
                )
            entries.append((key.strip(), value))

    values: dict[str, tuple[str, ...]] = {}
    problems = []
    for key, value in entries:
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            did_you_mean = f" Did you mean {hint[0]!r}?" if hint else ""
            problems.append(
                f"unknown key {key!r}; accepted keys are {', '.join(KEYS)}.{did_you_mean}"
            )
            continue
        folder_names = _split_folder_names(value)
        bad = [name for name in folder_names if not _is_folder_name(name)]
        if not folder_names:
            problems.append(f"{key!r} has no folder names; give at least one.")
        elif bad:
            problems.append(
                f"{key!r} has invalid folder names {bad}; "
                "use plain folder names without '/' or '.'."
            )
        else:
            values[key] = folder_names
    if problems:
        raise ConfigError(_prefix(source) + " ".join(problems))
    return Names(**values)


def _prefix(source: str) -> str:
    return f"{source}: " if source else ""


def _split_folder_names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        items: Iterable[object] = value.split(",")
    elif isinstance(value, Iterable):
        items = value
    else:
        items = [value]
    return tuple(str(item).strip() for item in items if str(item).strip())


def _is_folder_name(name: str) -> bool:
    return name not in {".", ".."} and "/" not in name and "\\" not in name and "." not in name

"""Write docs/codes/<CODE>.md and docs/codes/README.md from ``rules.CODES``.

Run it after changing a code in ``src/service_boundaries/rules.py``:

    python docs/generate_code_pages.py

``tests/test_docs.py`` fails when a page is missing or differs from what this script
writes. The summary, rule, example and fix of each page come from ``rules.CODES``. The
text shared by a family of codes (what it means, who reports it, how to silence it) is
in ``FAMILIES`` below.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service_boundaries.rules import CODES, Code

CODES_FOLDER = Path(__file__).resolve().parent / "codes"

IMPORT_IGNORES = """\
- **One import, flake8 and `service-boundaries check`:** end the import's first line with
  `# noqa: {code}`. Like flake8, `check` honours the comment only on the line the
  finding is reported at, which for a multi-line import is its first line.
- **One import, import-linter:** list it in the contract's `ignore_imports`, as
  `importer -> imported` with the module names that `lint-imports` prints for the
  finding (`*` and `**` wildcards work):

  ```ini
  [importlinter:contract:{contract}]
  ignore_imports =
      billing.legacy_api -> shop.catalog
  ```

- **Everywhere:** `extend-ignore = {code}` in the `[flake8]` section, or
  `service-boundaries check --ignore {code}`.

`service-boundaries explain FILE --import NAME` prints the exact `noqa` comment and
`ignore_imports` line for one import."""


@dataclass(frozen=True)
class Family:
    """Codes that share who reports them and how they are silenced."""

    matches: Callable[[str], bool]
    meaning: str
    reported_by: str
    ignoring: str
    example_language: str = "python"


FAMILIES = (
    Family(
        matches=lambda code: code in {"BND101", "BND102", "BND103", "BND104", "BND105"},
        meaning=(
            "Every unit (the app in `src/`, each `packages/<name>/`, each "
            "`services/<name>/`) may import itself, the standard library and third-party "
            "packages. Besides that, services and the app may import only packages, and "
            "packages only other packages. The unit an imported name belongs to is found "
            "from the folder layout: the unit where the longest leading part of the name "
            "exists on disk, the importer's own unit winning a tie. Path-style names such "
            "as `services.billing.api` or `src.shop` count too."
        ),
        reported_by=(
            "The flake8 plugin, `service-boundaries check`, and the import-linter contract "
            "type `service_boundaries.contracts.ImportBoundariesContract` (`type = "
            "boundaries` in the ready-made configuration)."
        ),
        ignoring=IMPORT_IGNORES.replace("{contract}", "boundaries"),
    ),
    Family(
        matches=lambda code: code == "BND901",
        meaning=(
            "Two or more units own the same top-level name (for example two services that "
            "each have an `app` package, or `tests` folders), and the imported name exists "
            "equally far in more than one of them, so it cannot be told which unit the "
            "import means. An import of its own unit's name is never ambiguous: the "
            "importer's unit wins a tie. `service-boundaries map` lists the names that "
            "several units own."
        ),
        reported_by=(
            "The flake8 plugin, `service-boundaries check`, and the import-linter contract "
            "type `service_boundaries.contracts.ImportBoundariesContract` (`type = "
            "boundaries` in the ready-made configuration)."
        ),
        ignoring=IMPORT_IGNORES.replace("{contract}", "boundaries"),
    ),
    Family(
        matches=lambda code: code == "BND106",
        meaning=(
            "With the public-API rule on, code outside a package may import only the "
            "package's top-level module (`import money`, `from money import Money`), not "
            "its submodules (`money.fmt`), so that the package's `__init__.py` is its "
            "interface and its inner modules can move freely."
        ),
        reported_by=(
            "Only when turned on: flake8 with `--boundaries-public-api` (or "
            "`boundaries-public-api = true` in the `[flake8]` section), "
            "`service-boundaries check --public-api`, and the `boundaries` contract with "
            "`public_api = true`. Imports inside a package, and imports of a package's "
            "top-level module, are never reported."
        ),
        ignoring=IMPORT_IGNORES.replace("{contract}", "boundaries")
        + "\n\nTo stop checking the rule, leave the option and the field off (the default).",
    ),
    Family(
        matches=lambda code: code.startswith("BND2"),
        meaning=(
            "Inside a service with layers, `core` may import `core` and `ports`; `ports` "
            "may import `ports` and `core`; `adapters` may import `adapters`, `ports` and "
            "`core`; `main` (`main.py`, `__main__.py` or a `main/` package) may import "
            "anything, and so may modules in no layer. Imports of other units follow the "
            "BND1xx rules."
        ),
        reported_by=(
            "The flake8 plugin, `service-boundaries check`, and the import-linter contract "
            "type `service_boundaries.contracts.ServiceLayersContract` (`type = layers` in "
            "the ready-made configuration). Layers are checked only inside a service that "
            "has a `core/` or `ports/` folder (in its import root or in a package directly "
            "under it); `service-boundaries map` shows which services those are, and "
            "`main` may import anything."
        ),
        ignoring=IMPORT_IGNORES.replace("{contract}", "layers"),
    ),
    Family(
        matches=lambda code: code == "BND902",
        meaning=(
            "A relative import has more leading dots than its module has enclosing "
            "packages, so it would reach above the top-level package of its unit. Python "
            "rejects it at run time (`ImportError: attempted relative import beyond "
            "top-level package`), and it usually means code reaching into another unit by "
            "its folder path."
        ),
        reported_by=(
            "The flake8 plugin and `service-boundaries check` only. grimp, which builds the "
            "graphs for the import-linter contracts, drops such imports, so `lint-imports` "
            "does not report them."
        ),
        ignoring=(
            "- **One import:** end the import's first line with `# noqa: BND902`.\n"
            "- **Everywhere:** `extend-ignore = BND902` in the `[flake8]` section, or "
            "`service-boundaries check --ignore BND902`."
        ),
    ),
    Family(
        matches=lambda code: code in {"BND903", "BND904", "BND905", "BND906"},
        meaning=(
            "A folder or link of the workspace could not be read as a unit's code. This is "
            "a problem with the files on disk, not with an import: the check skips what it "
            "cannot read, so imports in or into that folder go unchecked until it is fixed."
        ),
        reported_by=(
            "Both front ends and `service-boundaries check`, once per problem. The problem "
            "belongs to a folder or a link, not to an import: flake8 reports it on line 1 of "
            "the first checked file that ran into it, and `check` at line 0 of the folder or "
            "link itself. The import contracts (`boundaries` and `layers`) stop with an "
            "error that lists it, because a check that skipped part of the workspace would "
            "pass when it should not. `service-boundaries map` lists the problems too."
        ),
        ignoring=(
            "Fix the cause: the files under a skipped folder or link are not checked. To "
            "hide the code anyway, use `extend-ignore = {code}` in the `[flake8]` section "
            "or `service-boundaries check --ignore {code}`. The import contracts cannot "
            "ignore it."
        ),
        example_language="",
    ),
    Family(
        matches=lambda code: code.startswith("BND3"),
        meaning=(
            "Every `services/<name>/` folder should ship on its own: a multi-stage "
            "Dockerfile without `HEALTHCHECK` (the orchestrator probes the service), "
            "`/livez` and `/readyz` routes, a SIGTERM handler, a `config` module, an entry "
            "point, its own tests, its own build metadata, and an entry in the production "
            "compose file when the repository has one."
        ),
        reported_by=(
            "The import-linter contract type "
            "`service_boundaries.contracts.ServiceLayoutContract` (`type = layout` in the "
            "ready-made configuration) and `service-boundaries services`. Both read each "
            "`services/<name>/` folder (Dockerfile, Python sources parsed with `ast`, "
            "pyproject.toml, the production compose file) "
            "and never import or run them. What each check looks for, and what it cannot "
            "know, is in [the service checks](../service-checks.md)."
        ),
        ignoring=(
            "These checks are about a whole service, so there is no `noqa` comment for "
            "them. Turn a check off:\n\n"
            "- **For every service or one service:** the layout contract's `disable` field "
            "and the `--disable` option of `service-boundaries services` take `CODE` (every "
            "service), `service:CODE` (one service, by folder name) and `service:*` (every "
            "layout check for one service):\n\n"
            "  ```ini\n"
            "  [importlinter:contract:layout]\n"
            "  disable =\n"
            "      {code}\n"
            "      billing:BND309\n"
            "  ```\n\n"
            "- **In the service itself:** `services/<name>/pyproject.toml` can hold\n\n"
            "  ```toml\n"
            "  [tool.service-boundaries]\n"
            '  disable = ["{code}"]\n'
            "  ```"
        ),
        example_language="",
    ),
)


def family_of(code: str) -> Family:
    """Return the family a code belongs to; raise LookupError for a code of no family."""
    for family in FAMILIES:
        if family.matches(code):
            return family
    raise LookupError(
        f"{code} belongs to no family in docs/generate_code_pages.py; add it to FAMILIES."
    )


def render_page(code: Code) -> str:
    """Return the Markdown page of one code."""
    family = family_of(code.code)
    ignoring = family.ignoring.replace("{code}", code.code)
    return (
        f"# {code.code}: {code.summary}\n\n"
        f"**Rule:** {code.rule}.\n\n"
        "## What it reports\n\n"
        f"{_sentence(code.summary)}\n\n"
        f"{family.meaning}\n\n"
        "## Who reports it\n\n"
        f"{family.reported_by}\n\n"
        "## Example\n\n"
        f"```{family.example_language}\n{code.example}\n```\n\n"
        "## Fix\n\n"
        f"{code.fix}\n\n"
        "## Ignoring it\n\n"
        f"{ignoring}\n\n"
        "See [all codes](README.md) and the [configuration reference](../configuration.md).\n"
    )


def _sentence(summary: str) -> str:
    text = summary[:1].upper() + summary[1:]
    return text if text.endswith(".") else text + "."


def render_index() -> str:
    """Return docs/codes/README.md: one row per code, in code order."""
    lines = [
        "# Error codes",
        "",
        "Generated from `rules.CODES` by `docs/generate_code_pages.py`.",
        "",
        "| code | reports | rule |",
        "| --- | --- | --- |",
    ]
    for code in sorted(CODES.values(), key=lambda item: item.code):
        lines.append(f"| [{code.code}]({code.code}.md) | {code.summary} | {code.rule} |")
    return "\n".join(lines) + "\n"


def expected_files() -> dict[Path, str]:
    """Return every generated file with its text."""
    files = {CODES_FOLDER / f"{code}.md": render_page(entry) for code, entry in CODES.items()}
    files[CODES_FOLDER / "README.md"] = render_index()
    return files


def main() -> int:
    """Write every page; report pages of codes that no longer exist."""
    CODES_FOLDER.mkdir(exist_ok=True)
    files = expected_files()
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    stale = sorted(path.name for path in CODES_FOLDER.glob("*.md") if path not in files)
    if stale:
        print(f"pages for codes that no longer exist: {', '.join(stale)}", file=sys.stderr)
    print(f"wrote {len(files)} files to {CODES_FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

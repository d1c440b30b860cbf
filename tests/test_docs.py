"""The documentation stays in step with the code: a page per error code, generated from
rules.CODES, every option and contract field in the configuration reference, every
command-line option in its page, and no broken relative link."""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from importlinter import fields

from service_boundaries.cli import build_parser
from service_boundaries.contracts import (
    ImportBoundariesContract,
    ServiceLayersContract,
    ServiceLayoutContract,
)
from service_boundaries.flake8_plugin import BoundaryChecker
from service_boundaries.rules import CODES

REPOSITORY = Path(__file__).resolve().parent.parent
DOCS = REPOSITORY / "docs"
REGENERATE = "run 'python docs/generate_code_pages.py' and commit the result"


def load_generator() -> ModuleType:
    path = DOCS / "generate_code_pages.py"
    spec = importlib.util.spec_from_file_location("generate_code_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_has_page(code: str) -> None:
    page = DOCS / "codes" / f"{code}.md"
    assert page.is_file(), f"{code} has no page docs/codes/{code}.md; {REGENERATE}"


def test_code_pages_match_rules() -> None:
    for path, text in load_generator().expected_files().items():
        assert path.is_file(), f"{path.name} is missing; {REGENERATE}"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale; {REGENERATE}"


def test_no_page_for_unknown_code() -> None:
    pages = {path.stem for path in (DOCS / "codes").glob("BND*.md")}
    assert pages - set(CODES) == set()


def test_code_pages_tell_how_to_ignore() -> None:
    for code in CODES:
        text = (DOCS / "codes" / f"{code}.md").read_text()
        assert "## Ignoring it" in text
        if code[:4] in {"BND1", "BND2"} or code == "BND901":
            assert f"# noqa: {code}" in text
            assert "ignore_imports" in text


class RecordingManager:
    """Stands in for flake8's OptionManager and records the option names."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def add_option(self, *names: str, **_: object) -> None:
        self.names.extend(name for name in names if name.startswith("--"))


def test_configuration_lists_flake8_options() -> None:
    manager = RecordingManager()
    BoundaryChecker.add_options(manager)  # type: ignore[arg-type]
    text = (DOCS / "configuration.md").read_text()
    assert manager.names
    for name in manager.names:
        assert f"`{name}" in text, f"docs/configuration.md does not document {name}"


@pytest.mark.parametrize(
    "contract", [ImportBoundariesContract, ServiceLayersContract, ServiceLayoutContract]
)
def test_configuration_lists_contract_fields(contract: type) -> None:
    text = (DOCS / "configuration.md").read_text()
    section = text.split(f"`{contract.__name__}`", 1)
    assert len(section) == 2, f"docs/configuration.md has no section for {contract.__name__}"
    names = [
        name
        for klass in contract.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, fields.Field)
    ]
    assert names
    for name in names:
        assert f"| `{name}` |" in section[1], (
            f"docs/configuration.md does not document field {name!r} of {contract.__name__}"
        )


def test_command_line_page_lists_every_option() -> None:
    text = (DOCS / "command-line.md").read_text()
    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    for command, subparser in subparsers.choices.items():
        assert f"## {command}" in text, f"docs/command-line.md has no section for {command}"
        for action in subparser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"`{option}" in text or option in text, (
                        f"docs/command-line.md does not mention {command} {option}"
                    )


def markdown_files() -> list[Path]:
    return [REPOSITORY / "README.md", REPOSITORY / "CHANGELOG.md", *sorted(DOCS.rglob("*.md"))]


def test_relative_links_resolve() -> None:
    link = re.compile(r"\]\(([^)\s]+)\)")
    for path in markdown_files():
        for target in link.findall(path.read_text()):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            file_part = target.split("#", 1)[0]
            assert (path.parent / file_part).exists(), f"{path.name}: broken link {target}"

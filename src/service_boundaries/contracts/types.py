"""The contract classes: fields, the check over the workspace graphs, and the report."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain.contract import InvalidContractOptions
from importlinter.domain.helpers import MissingImport
from importlinter.domain.imports import ImportExpression

from ..errors import BoundariesError
from ..names import Names, parse_names
from ..rules import CODES
from ..workspace import Workspace, get_workspace
from .graphs import CheckedWorkspace, GraphFinding, checked_workspace

DEFAULT_CACHE_DIR = ".import_linter_cache"


class NamesField(fields.Field):
    """Folder names of areas and layers: ``key = name, name`` lines or a TOML table."""

    def parse(self, raw_data: Any) -> Names:
        try:
            return parse_names(raw_data, "")
        except BoundariesError as error:
            raise fields.ValidationError(str(error)) from None


class RootedContract(Contract):
    """The ``root`` and ``names`` fields, and their validation, shared by every type."""

    root = fields.StringField(required=False, default=".")
    names = NamesField(required=False, default=Names())

    def _workspace(self, area_folders: tuple[str, ...]) -> Workspace:
        """Return the workspace at ``root``; raise when it is no folder or no monorepo.

        ``area_folders`` are the folders named in the message when none is there.
        """
        root_path = self._root_path()
        if not root_path.is_dir():
            holds = " and ".join(f"{folder}/" for folder in area_folders)
            raise InvalidContractOptions(
                {
                    "root": f"{str(root_path)!r} is not a folder. Set root to the folder that "
                    f"holds {holds} (relative paths start at the current folder)."
                }
            )
        workspace = get_workspace(root_path, self._names())
        if not workspace.is_monorepo:
            areas = ", ".join(f"{folder}/" for folder in area_folders)
            raise InvalidContractOptions(
                {
                    "root": f"{str(root_path)!r} is not a monorepo: it has none of {areas}. "
                    "Point root at the repository's top folder, or map your folder names "
                    "with the 'names' field."
                }
            )
        return workspace

    def _root_path(self) -> Path:
        return Path(os.path.abspath(str(self.root)))

    def _names(self) -> Names:
        names = self.names
        assert isinstance(names, Names)
        return names


class _WorkspaceContract(RootedContract):
    """Fields and checking shared by the import contract types; each keeps its codes."""

    codes: tuple[str, ...] = ()

    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)
    cache_dir = fields.StringField(required=False, default=DEFAULT_CACHE_DIR)

    def validate(self) -> None:
        """Check that ``root`` contains a monorepo and the session option is a boolean."""
        exclude = str(self.session_options.get("exclude_type_checking_imports", "false"))
        if exclude not in ("True", "true", "False", "false"):
            raise InvalidContractOptions(
                {
                    "exclude_type_checking_imports": f"invalid value {exclude!r} in the "
                    "[importlinter] section; expected true or false."
                }
            )
        self._workspace(self._names().services + self._names().packages)

    def _cache_path(self) -> Path | None:
        value = str(self.cache_dir).strip()
        if value.lower() in {"", "none", "false"}:
            return None
        return Path(os.path.abspath(value))

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Check every direct import of the workspace; ``graph`` is not used.

        import-linter builds ``graph`` from ``root_packages`` and ``sys.path``, which
        cannot hold two services that both own ``app``; the workspace graphs are built
        from the folder layout instead.
        """
        del graph
        workspace = get_workspace(self._root_path(), self._names())
        # The same reading as import-linter's own: 'True' or 'true' turns it on.
        exclude = str(self.session_options.get("exclude_type_checking_imports", "")).lower()

        def progress(index: int, total: int, group: Any) -> None:
            units = ", ".join(unit.describe() for unit in group.units)
            output.verbose_print(verbose, f"Building graph {index + 1}/{total}: {units}")

        try:
            # BND106 is always computed, so both contract types share one build, and is
            # dropped below unless the public_api field turns it on.
            checked = checked_workspace(
                workspace, exclude == "true", self._cache_path(), progress, public_api=True
            )
        except BoundariesError as error:
            raise BoundariesError(f"contract {self.name!r}: {error}") from None
        findings = [
            finding
            for finding in checked.findings
            if finding.violation.code.startswith(self.codes)
            and (finding.violation.code != "BND106" or getattr(self, "public_api", False))
        ]
        findings, ignored_count, warnings = self._apply_ignores(checked, findings)
        output.verbose_print(
            verbose,
            f"Checked {checked.import_count} imports in {checked.module_count} modules "
            f"({len(checked.graphs)} graphs).",
        )
        return ContractCheck(
            kept=not findings,
            warnings=warnings,
            ignored_import_count=ignored_count,
            metadata={"findings": findings, "root": workspace.root},
        )

    def _apply_ignores(
        self, checked: CheckedWorkspace, findings: list[GraphFinding]
    ) -> tuple[list[GraphFinding], int, list[str]]:
        expressions: set[ImportExpression] = getattr(self, "ignore_imports", None) or set()
        ignored: set[tuple[int, str, str]] = set()
        unmatched = []
        for expression in sorted(expressions, key=str):
            matched = False
            for index, graph in enumerate(checked.graphs):
                for match in graph.find_matching_direct_imports(import_expression=str(expression)):
                    ignored.add((index, match["importer"], match["imported"]))
                    matched = True
            if not matched:
                unmatched.append(f"No matches for ignored import {expression}.")
        alerting = self.unmatched_ignore_imports_alerting
        warnings: list[str] = []
        if unmatched and alerting is AlertLevel.ERROR:
            raise MissingImport("\n".join(unmatched))
        if unmatched and alerting is AlertLevel.WARN:
            warnings = unmatched
        kept = [
            finding
            for finding in findings
            if (finding.group, finding.importer, finding.graph_imported) not in ignored
        ]
        return kept, len(ignored), warnings

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print the broken imports grouped by code, then a count per code."""
        findings: list[GraphFinding] = check.metadata["findings"]
        root: Path = check.metadata["root"]
        by_code: dict[str, list[GraphFinding]] = {}
        for finding in sorted(findings, key=_sort_key):
            by_code.setdefault(finding.violation.code, []).append(finding)
        for code, code_findings in by_code.items():
            output.print_error(f"{code} {CODES[code].rule}:")
            output.new_line()
            for finding in code_findings:
                output.print_error(
                    f"-   {finding.importer} -> {finding.imported} (l.{finding.line})",
                    bold=False,
                )
                output.indent_cursor()
                output.print_error(
                    f"{_display_path(finding.path, root)}:{finding.line}: {finding.line_contents}",
                    bold=False,
                )
                output.indent_cursor()
                output.print(f"{code} {finding.violation.message}")
                output.new_line()
        counts = Counter(finding.violation.code for finding in findings)
        summary = ", ".join(f"{code} x{count}" for code, count in sorted(counts.items()))
        noun = "import" if len(findings) == 1 else "imports"
        output.print_error(f"{len(findings)} broken {noun}: {summary}.")
        output.new_line()


def _sort_key(finding: GraphFinding) -> tuple[str, str, int, str]:
    return (finding.violation.code, str(finding.path), finding.line, finding.imported)


def _display_path(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


class ImportBoundariesContract(_WorkspaceContract):
    """Services, packages and the app import only what the boundary rules allow.

    Reports BND1xx codes, and BND9xx codes for names that resolve to several units.
    BND106 (imports of another package's submodules) only with ``public_api = true``.
    """

    type_name = "service_boundaries"
    codes = ("BND1", "BND9")

    public_api = fields.BooleanField(required=False, default=False)


class ServiceLayersContract(_WorkspaceContract):
    """Inside each service that has core/ or ports/, layers import only what they may.

    Reports BND2xx codes.
    """

    type_name = "service_layers"
    codes = ("BND2",)

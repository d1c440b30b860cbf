"""The service layout contract: every service has what it needs to ship on its own."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from grimp import ImportGraph
from importlinter import ContractCheck, fields, output
from importlinter.domain.contract import InvalidContractOptions

from ..errors import BoundariesError
from ..rules import CODES
from ..services import AUTO, Disabled, ServiceFinding, check_services, parse_disable
from ..services import find_compose_file
from ..workspace import Kind, get_workspace
from .types import RootedContract


class DisableField(fields.Field):
    """Codes to turn off: ``BND306`` for every service, ``billing:BND306`` for one."""

    def parse(self, raw_data: Any) -> Disabled:
        try:
            return parse_disable(raw_data, "")
        except BoundariesError as error:
            raise fields.ValidationError(str(error)) from None


class ServiceLayoutContract(RootedContract):
    """Every service has a multi-stage Dockerfile without HEALTHCHECK, /livez and /readyz
    routes, a SIGTERM handler, a config module, an entry point, tests, build metadata,
    and an entry in the production compose file when there is one.

    Reports BND3xx codes. The import graph is not used: the checks read the files of
    each service folder.
    """

    type_name = "service_layout"

    disable = DisableField(required=False, default=Disabled())
    compose = fields.StringField(required=False, default=AUTO)

    def validate(self) -> None:
        """Check that ``root`` is a monorepo and that ``compose`` and ``disable`` match it."""
        workspace = self._workspace(self._names().services)
        try:
            find_compose_file(workspace.root, str(self.compose))
        except BoundariesError as error:
            raise InvalidContractOptions({"compose": str(error)}) from None
        services = {unit.name for unit in workspace.units if unit.kind is Kind.SERVICE}
        unknown = sorted(self._disabled().services - services)
        if unknown:
            raise InvalidContractOptions(
                {
                    "disable": f"no service named {', '.join(map(repr, unknown))}; "
                    f"services are {', '.join(sorted(services)) or 'none'}."
                }
            )

    def _disabled(self) -> Disabled:
        disabled = self.disable
        assert isinstance(disabled, Disabled)
        return disabled

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Check every service folder; ``graph`` is not used."""
        del graph
        workspace = get_workspace(self._root_path(), self._names())
        try:
            report = check_services(workspace, self._disabled(), str(self.compose))
        except BoundariesError as error:
            raise BoundariesError(f"contract {self.name!r}: {error}") from None
        compose = _display_path(report.compose) if report.compose else "no compose file"
        output.verbose_print(
            verbose,
            f"Checked {len(report.services)} services ({compose}); "
            f"{report.disabled} findings turned off by disable lists.",
        )
        return ContractCheck(
            kept=not report.findings,
            warnings=[],
            metadata={"findings": list(report.findings)},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print the findings grouped by code, then a count per code."""
        findings: list[ServiceFinding] = check.metadata["findings"]
        by_code: dict[str, list[ServiceFinding]] = {}
        for finding in sorted(findings, key=_sort_key):
            by_code.setdefault(finding.code, []).append(finding)
        for code, code_findings in by_code.items():
            output.print_error(f"{code} {CODES[code].rule}:")
            output.new_line()
            for finding in code_findings:
                where = _display_path(finding.path)
                if finding.line:
                    where = f"{where}:{finding.line}"
                output.print_error(f"-   {where}", bold=False)
                output.indent_cursor()
                output.print(finding.text)
                output.new_line()
        counts = Counter(finding.code for finding in findings)
        summary = ", ".join(f"{code} x{count}" for code, count in sorted(counts.items()))
        noun = "problem" if len(findings) == 1 else "problems"
        output.print_error(f"{len(findings)} service layout {noun}: {summary}.")
        output.new_line()


def _sort_key(finding: ServiceFinding) -> tuple[str, str, str, int]:
    return (finding.code, finding.service, str(finding.path), finding.line or 0)


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)

"""Report writers for ``check``: text, JSON, SARIF 2.1.0 and GitHub Actions annotations.

Every writer takes the same ``Report`` and returns the whole output as a string.
Columns are 1-based everywhere, as flake8 prints them and as SARIF requires.

NOTE: a column is ``ast``'s ``col_offset`` plus one, which counts UTF-8 bytes, as
flake8's column does. On a line with non-ASCII text before the import it is larger than
the character count that SARIF viewers expect.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..rules import CODES
from ..workspace import Problem
from ._scan import FileError, FileFinding, ScanResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


@dataclass(frozen=True)
class Report:
    """The result of one ``check`` run, with the folders its paths are shown from."""

    result: ScanResult
    root: Path
    cwd: Path

    @property
    def findings(self) -> list[FileFinding]:
        """Findings sorted by path, line, column and code."""
        return sorted(
            self.result.findings,
            key=lambda item: (item.path, item.line, item.column, item.violation.code),
        )

    @property
    def problems(self) -> list[Problem]:
        """Workspace problems (BND9xx) sorted by path and code."""
        return sorted(self.result.problems, key=lambda item: (item.path, item.code))

    @property
    def errors(self) -> list[FileError]:
        """Unreadable files sorted by path."""
        return sorted(self.result.errors, key=lambda item: item.path)

    def from_root(self, path: Path) -> str:
        """Return a path relative to the workspace root, with '/' separators."""
        if path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return path.as_posix()

    def from_cwd(self, path: Path) -> str:
        """Return a path relative to the current folder, with '/' separators."""
        try:
            return Path(os.path.relpath(path, self.cwd)).as_posix()
        except ValueError:
            # On Windows, a path on another drive has no relative form.
            return path.as_posix()


def write_text(report: Report) -> str:
    """Return flake8-style lines: ``path:line:column: CODE message``.

    A workspace problem belongs to a folder or link, not to a line, so it is printed at
    line 0, column 1, as flake8 prints a file it cannot read (E902).
    """
    lines = [
        f"{report.from_cwd(item.path)}:0:1: {item.code} {item.message}" for item in report.problems
    ]
    lines += [
        f"{report.from_cwd(item.path)}:{item.line}:{item.column + 1}: {item.violation.text}"
        for item in report.findings
    ]
    return "".join(f"{line}\n" for line in lines)


def write_json(report: Report) -> str:
    """Return one JSON object with the violations and the files that were not checked."""
    document = {
        "tool": {"name": "service-boundaries", "version": __version__},
        "root": report.root.as_posix(),
        "files_checked": report.result.files,
        "violations": [
            {
                "path": report.from_root(item.path),
                "line": item.line,
                "column": item.column + 1,
                "code": item.violation.code,
                "message": item.violation.message,
                "imported": item.violation.imported,
                "unit": {"kind": item.location.unit.kind.value, "name": item.location.unit.name},
                "module": item.location.module,
            }
            for item in report.findings
        ],
        "problems": [
            {"code": item.code, "path": report.from_root(item.path), "message": item.message}
            for item in report.problems
        ],
        "errors": [
            {"path": report.from_root(item.path), "line": item.line, "message": item.message}
            for item in report.errors
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def write_sarif(report: Report) -> str:
    """Return a SARIF 2.1.0 log with one run, one rule per code and one result per finding.

    Paths are relative to the workspace root, named by the ``%SRCROOT%`` base id.
    """
    rule_ids = list(CODES)
    rules = [
        {
            "id": code.code,
            "name": _rule_name(code.summary),
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": f"{code.summary}: {code.rule}."},
            "help": {
                "text": f"{code.rule}. Violating example:\n{code.example}\nFix: {code.fix}",
                "markdown": f"{code.rule}.\n\n```\n{code.example}\n```\n\n**Fix:** {code.fix}",
            },
            "defaultConfiguration": {"level": "error"},
        }
        for code in CODES.values()
    ]
    results = [
        {
            "ruleId": item.violation.code,
            "ruleIndex": rule_ids.index(item.violation.code),
            "level": "error",
            "message": {"text": item.violation.message},
            "locations": [_sarif_location(report, item.path, item.line, item.column + 1)],
        }
        for item in report.findings
    ]
    results += [
        {
            "ruleId": item.code,
            "ruleIndex": rule_ids.index(item.code),
            "level": "error",
            "message": {"text": item.message},
            "locations": [_sarif_location(report, item.path, None, None)],
        }
        for item in report.problems
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{report.from_root(item.path)}: {item.message}"},
            "locations": [_sarif_location(report, item.path, item.line, None)],
        }
        for item in report.errors
    ]
    run = {
        "tool": {
            "driver": {
                "name": "service-boundaries",
                "version": __version__,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": report.root.as_uri() + "/"}},
        "invocations": [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ],
        "results": results,
    }
    document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def _rule_name(summary: str) -> str:
    """Return the summary as one PascalCase word, for example 'AServiceImportsTheApp'."""
    return "".join(word[:1].upper() + word[1:] for word in summary.split())


def _sarif_location(report: Report, path: Path, line: int | None, column: int | None) -> dict:
    region: dict[str, int] = {}
    if line:
        region["startLine"] = line
        if column:
            region["startColumn"] = column
    physical: dict[str, object] = {
        "artifactLocation": {"uri": report.from_root(path), "uriBaseId": "%SRCROOT%"}
    }
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def write_github(report: Report) -> str:
    """Return GitHub Actions workflow commands, one ``::error`` annotation per finding.

    Paths are relative to the current folder, which in a workflow is the checkout.
    """
    lines = []
    for problem in report.problems:
        properties = _github_properties(file=report.from_cwd(problem.path), title=problem.code)
        lines.append(f"::error {properties}::{_github_data(problem.code + ' ' + problem.message)}")
    for item in report.findings:
        properties = _github_properties(
            file=report.from_cwd(item.path),
            line=str(item.line),
            col=str(item.column + 1),
            title=item.violation.code,
        )
        lines.append(f"::error {properties}::{_github_data(item.violation.text)}")
    for error in report.errors:
        fields = {"file": report.from_cwd(error.path), "title": "service-boundaries"}
        if error.line:
            fields["line"] = str(error.line)
        lines.append(f"::error {_github_properties(**fields)}::{_github_data(error.message)}")
    return "".join(f"{line}\n" for line in lines)


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_properties(**values: str) -> str:
    escaped = (
        f"{key}={_github_data(value).replace(':', '%3A').replace(',', '%2C')}"
        for key, value in values.items()
    )
    return ",".join(escaped)


WRITERS = {
    "text": write_text,
    "json": write_json,
    "sarif": write_sarif,
    "github": write_github,
}


def add_report_arguments(parser: argparse.ArgumentParser, format_help: str) -> None:
    """Register --format (one of WRITERS) and -o/--output, shared by the reporting commands."""
    parser.add_argument("--format", choices=sorted(WRITERS), default="text", help=format_help)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write the report to FILE instead of stdout",
    )

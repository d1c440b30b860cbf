"""Check that every service has what it needs to ship on its own (BND301-BND311).

Each folder under services/ should have a multi-stage Dockerfile without HEALTHCHECK,
/livez and /readyz routes, and a SIGTERM handler. It should also have a config module,
an entry point, a tests folder, build metadata, and an entry in the production compose
file when the repository has one. Files are read, never imported or run.
docs/service-checks.md says what each check looks for and what it cannot know.

The output formats are those of 'check'. A finding about a missing file points at the
service folder, at line 0.

Exit status: 0 when every service passes, 1 when a check fails, 2 on a usage or
configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import ConfigError
from ..rules import Violation
from ..services import AUTO, ServiceReport, check_services, parse_disable
from ..workspace import Location
from . import EXIT_OK, EXIT_VIOLATIONS
from ._reports import WRITERS, Report, add_report_arguments
from ._scan import FileFinding, ScanResult
from ._workspace import add_workspace_arguments, load_context

HELP = "check that every service has a Dockerfile, probes, SIGTERM handling, config and tests"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output format, the disable list and the compose file."""
    add_report_arguments(
        parser, "output format, as for 'check': text (the default), json, sarif or github"
    )
    parser.add_argument(
        "--disable",
        metavar="CODES",
        action="append",
        default=[],
        help="checks to turn off, comma-separated, repeatable: CODE for every service, "
        "SERVICE:CODE for one service, SERVICE:* for every check of one service",
    )
    parser.add_argument(
        "--compose",
        metavar="PATH",
        default=AUTO,
        help="the production compose file, relative to the root (default: auto, which "
        "looks for compose.prod.yaml, compose.yaml and the like; none skips BND311)",
    )
    add_workspace_arguments(parser, public_api=False, type_checking=False)


def run(args: argparse.Namespace) -> int:
    """Check every service and write the report; return 1 when a check fails."""
    context = load_context(args)
    disabled = parse_disable(args.disable, "option --disable")
    service_report = check_services(context.workspace, disabled, args.compose)
    report = Report(_as_scan_result(service_report), context.root, Path.cwd())
    text = WRITERS[args.format](report)
    if args.format == "json":
        text = _json_for_services(text, service_report)
    elif args.format == "github":
        # A finding about a missing file has no line: annotate the file, not line 0.
        text = text.replace(",line=0,col=1,", ",")
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot write {args.output}: {error.strerror or error}") from None
    else:
        sys.stdout.write(text)
    _print_summary(service_report)
    return EXIT_VIOLATIONS if service_report.findings else EXIT_OK


def _as_scan_result(service_report: ServiceReport) -> ScanResult:
    """Return the findings in the shape the writers of 'check' take."""
    units = {unit.name: unit for unit in service_report.services}
    findings = [
        FileFinding(
            path=finding.path,
            line=finding.line or 0,
            column=0,
            violation=Violation(finding.code, finding.message, ""),
            location=Location(units[finding.service], "", False),
        )
        for finding in service_report.findings
    ]
    return ScanResult(files=0, findings=findings)


def _json_for_services(text: str, service_report: ServiceReport) -> str:
    """Replace the import-only keys of check's JSON with the services and compose file."""
    document = json.loads(text)
    del document["files_checked"]
    document["services_checked"] = [unit.name for unit in service_report.services]
    root = Path(document["root"])
    compose = service_report.compose
    document["compose_file"] = compose.relative_to(root).as_posix() if compose else None
    for violation in document["violations"]:
        del violation["imported"]
        del violation["module"]
        if not violation["line"]:
            violation["line"] = None
            violation["column"] = None
    return json.dumps(document, indent=2) + "\n"


def _print_summary(service_report: ServiceReport) -> None:
    count = len(service_report.findings)
    services = len(service_report.services)
    if not count:
        return
    noun = "problem" if count == 1 else "problems"
    message = f"service-boundaries: {count} service layout {noun} in {services} service"
    message += "" if services == 1 else "s"
    if service_report.disabled:
        message += f"; {service_report.disabled} turned off by disable lists"
    print(message + ".", file=sys.stderr)

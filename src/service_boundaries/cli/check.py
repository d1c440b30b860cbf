"""Check every Python file of the workspace and report the imports that break a rule.

Files are parsed with ast and never imported. '# noqa: BND101' comments are honoured
as flake8 honours them. A file that cannot be read or parsed is reported and skipped.

Workspace problems (BND903-BND906: unreadable folders, areas that are files, symbolic
links that leave the root or loop) are reported too, once each.

Exit status: 0 when nothing was found, 1 when there are violations, workspace problems or
files that could not be checked, 2 on a usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError
from ..rules import CODES
from . import EXIT_OK, EXIT_VIOLATIONS
from ._reports import WRITERS, Report, add_report_arguments
from ._scan import ProgressReporter, find_python_files, scan
from ._workspace import add_workspace_arguments, load_context

HELP = "check every Python file and report violations (text, json, sarif, github)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the paths, the output format and the filters."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="files or folders to check (default: every unit of the workspace)",
    )
    add_report_arguments(
        parser,
        "output format: text (flake8-like lines, the default), json, sarif (SARIF "
        "2.1.0) or github (GitHub Actions annotations)",
    )
    parser.add_argument(
        "--select",
        metavar="CODES",
        default="",
        help="report only these codes or code prefixes, comma-separated (for example BND1,BND901)",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        default="",
        help="do not report these codes or code prefixes, comma-separated",
    )
    parser.add_argument(
        "--exclude",
        metavar="PATTERNS",
        default="",
        help="comma-separated glob patterns of files and folders to skip, matched against "
        "the name and the path from the root (hidden folders, __pycache__, node_modules, "
        "*.egg-info and virtual environments are always skipped)",
    )
    parser.add_argument(
        "--disable-noqa",
        action="store_true",
        help="report violations even on lines with a '# noqa' comment",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit with status 0 even when something was found (usage and configuration "
        "errors still exit with 2)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="do not print progress to stderr (printed once a second in runs of 200 "
        "files or more)",
    )
    add_workspace_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Check the files and write the report; return 1 when anything was found."""
    context = load_context(args)
    select = _codes(args.select, "--select")
    ignore = _codes(args.ignore, "--ignore")
    for path in args.paths:
        if not path.exists():
            raise ConfigError(f"{path}: no such file or folder.")
    exclude = [pattern.strip() for pattern in args.exclude.split(",") if pattern.strip()]
    files = find_python_files(context.workspace, args.paths, exclude)
    if not files:
        where = ", ".join(str(path) for path in args.paths) or str(context.root)
        print(
            f"service-boundaries: no Python files of the workspace's units under {where}; "
            "nothing was checked.",
            file=sys.stderr,
        )
    progress = None if args.no_progress else ProgressReporter(sys.stderr)
    result = scan(
        context.workspace,
        files,
        exclude_type_checking=context.exclude_type_checking,
        public_api=context.public_api,
        honour_noqa=not args.disable_noqa,
        progress=progress,
    )

    def selected(code: str) -> bool:
        if select and not code.startswith(select):
            return False
        return not (ignore and code.startswith(ignore))

    result.findings = [item for item in result.findings if selected(item.violation.code)]
    result.problems = [problem for problem in result.problems if selected(problem.code)]
    report = Report(result, context.root, Path.cwd())
    text = WRITERS[args.format](report)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot write {args.output}: {error.strerror or error}") from None
    else:
        sys.stdout.write(text)
    if args.format != "github":
        for error in report.errors:
            where = report.from_cwd(error.path) + (f":{error.line}" if error.line else "")
            print(
                f"service-boundaries: {where}: {error.message}; its imports were not checked.",
                file=sys.stderr,
            )
    _print_summary(report)
    if (result.findings or result.errors or result.problems) and not args.exit_zero:
        return EXIT_VIOLATIONS
    return EXIT_OK


def _codes(raw: str, option: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in raw.split(",") if code.strip())
    for code in codes:
        if not any(known.startswith(code) for known in CODES):
            raise ConfigError(
                f"option {option}: {code!r} matches no code; known codes are {', '.join(CODES)}."
            )
    return codes


def _print_summary(report: Report) -> None:
    result = report.result
    count = len(result.findings)
    if not count and not result.errors and not result.problems:
        return
    noun = "violation" if count == 1 else "violations"
    message = f"service-boundaries: {count} {noun} in {result.files} checked file"
    message += "" if result.files == 1 else "s"
    if result.problems:
        message += f"; {len(result.problems)} workspace problem(s)"
    if result.errors:
        message += f"; {len(result.errors)} file(s) could not be checked"
    print(message + ".", file=sys.stderr)

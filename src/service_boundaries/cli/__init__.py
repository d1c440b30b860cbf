"""The ``service-boundaries`` command.

Each subcommand is a module of this package that defines:

- ``HELP``: a one-line summary for ``service-boundaries --help``;
- ``add_arguments(parser)``: registers its options on an ``argparse`` subparser;
- ``run(args) -> int``: does the work and returns the exit status.

``SUBCOMMANDS`` lists them in the order ``--help`` shows; adding a subcommand is one new
module and one entry there. Subcommands write results to stdout and messages to stderr.
They raise ``BoundariesError`` for anything the user has to fix, and ``main`` prints it
as one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import BoundariesError

SUBCOMMANDS = ("check", "map", "explain", "graph", "init", "services")

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2

PROG = "service-boundaries"


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with one subparser per module in ``SUBCOMMANDS``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check and explain the import boundaries of a monorepo laid out as "
        "src/ (the app), packages/<name>/ and services/<name>/.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_verbose(parser, default=0)
    # -v is accepted after the subcommand too; there it leaves the top-level value alone
    # unless given.
    common = argparse.ArgumentParser(add_help=False)
    _add_verbose(common, default=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        description = (module.__doc__ or module.HELP).strip()
        subparser = subparsers.add_parser(
            name,
            help=module.HELP,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )
        module.add_arguments(subparser)
        subparser.set_defaults(run=module.run)
    return parser


def _add_verbose(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default,
        help="log more to stderr (-v: files skipped and steps taken, -vv: debug)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status: 0 clean, 1 violations, 2 errors."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse exits with 2 on a usage error and 0 after --help or --version.
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    restore_logging = _configure_logging(args.verbose)
    try:
        status: int = args.run(args)
    except BoundariesError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (for example 'service-boundaries map | head').
        _silence_stdout()
        return EXIT_OK
    except Exception as error:
        # The last resort, so that a bug prints one line; -vv logs the traceback.
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        print(
            f"{PROG}: internal error: {type(error).__name__}: {error}. This is a bug in "
            f"service-boundaries; run with -vv to see the traceback and report it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    finally:
        restore_logging()
    return status


def _configure_logging(verbosity: int) -> Callable[[], None]:
    """Send the package's log records to stderr; return a function that undoes it."""
    level = logging.WARNING
    if verbosity == 1:
        level = logging.INFO
    elif verbosity >= 2:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s: %(message)s"))
    package_logger = logging.getLogger("service_boundaries")
    previous = (package_logger.handlers[:], package_logger.level, package_logger.propagate)
    package_logger.handlers[:] = [handler]
    package_logger.setLevel(level)
    package_logger.propagate = False

    def restore() -> None:
        package_logger.handlers[:] = previous[0]
        package_logger.setLevel(previous[1])
        package_logger.propagate = previous[2]

    return restore


def _silence_stdout() -> None:
    # Point stdout at os.devnull so that flushing it at exit raises no second error.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass

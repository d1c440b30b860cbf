"""Run flake8 with chosen plugins left out, so that a plugin's cost can be measured alone.

flake8 runs every installed tree plugin on every file and only filters the results by
``--select``, so ``--select=E,W,F`` does not switch the BND plugin off. This runner wraps
``flake8.plugins.finder.find_plugins`` (which reads the installed entry points) and drops
the entry points named in ``--without`` before flake8 imports them: the plugin is then
neither imported nor run, exactly as if it were not installed. Everything else is
flake8's own command line. Both sides of a comparison go through this runner, the side
with the plugin with an empty ``--without``, so they pay the same start-up cost.

flake8 starts its ``--jobs`` workers with ``fork`` on Linux, and the workers inherit the
filtered plugin list; on a platform that spawns workers the filter would be lost, and
the runner refuses to run with more than one job there.

    python benchmarks/flake8_runner.py --without=BND -- --select=E,W,F .
"""

from __future__ import annotations

import multiprocessing
import sys

from flake8.main import cli
from flake8.plugins import finder


def main(argv: list[str]) -> int:
    without: set[str] = set()
    if "--" in argv:
        split = argv.index("--")
        ours, argv = argv[:split], argv[split:][1:]
        for option in ours:
            if option.startswith("--without="):
                without.update(filter(None, option.split("=", 1)[1].split(",")))
            else:
                raise SystemExit(f"unknown runner option {option!r}")
    if without and multiprocessing.get_start_method() != "fork":
        if not any(arg in ("--jobs=1", "-j1") for arg in argv):
            raise SystemExit("without fork, workers reload plugins: pass --jobs=1")
    original = finder.find_plugins

    def find_plugins(cfg, opts):  # type: ignore[no-untyped-def]
        return [plugin for plugin in original(cfg, opts) if plugin.entry_point.name not in without]

    finder.find_plugins = find_plugins
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Profile one front end on a tree with cProfile and print where the time goes.

    python benchmarks/profile_front_ends.py plugin .cache/bench-trees/L
    python benchmarks/profile_front_ends.py contracts .cache/bench-trees/L

``plugin`` parses every file first (not profiled), then runs the flake8 plugin over all
of them with a fresh workspace, as one flake8 worker would. ``contracts`` runs
``lint-imports`` with this project's contracts and the graph cache off, in this process.
Both print the functions with the most time of their own and the most time in all,
with the share of the profiled total; ``--save FILE`` also keeps the raw profile.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path


def parsed_python_files() -> list[tuple[str, ast.Module]]:
    """Parse every Python file below the current folder, hidden folders left out."""
    files = []
    for folder, subfolders, names in os.walk("."):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    files.append((path, ast.parse(handle.read(), filename=path)))
    return files


def profile_plugin(tree: Path) -> cProfile.Profile:
    from service_boundaries import checker
    from service_boundaries.flake8_plugin import BoundaryChecker

    os.chdir(tree)
    files = parsed_python_files()
    checker.clear_caches()
    profiler = cProfile.Profile()
    profiler.enable()
    for path, parsed in files:
        for _ in BoundaryChecker(parsed, path).run():
            pass
    profiler.disable()
    return profiler


def profile_contracts(tree: Path) -> cProfile.Profile:
    from importlinter.cli import lint_imports_command

    os.chdir(tree)
    sys.argv = ["lint-imports", "--no-logo", "--no-cache", "bench-ours-nocache.ini"]
    profiler = cProfile.Profile()
    stdout = sys.stdout
    sys.stdout = io.StringIO()
    profiler.enable()
    try:
        lint_imports_command()
    except SystemExit:
        pass
    finally:
        profiler.disable()
        sys.stdout = stdout
    return profiler


def report(profiler: cProfile.Profile, limit: int) -> None:
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = stats.stats  # type: ignore[attr-defined]
    print(f"profiled total: {total:.2f} s")
    for title, column in (("own time", 2), ("time in all (cumulative)", 3)):
        print(f"\nby {title}:")
        ranked = sorted(rows.items(), key=lambda item: item[1][column], reverse=True)
        for (filename, line, function), row in ranked[:limit]:
            where = _short(filename)
            print(
                f"  {row[column]:7.3f} s {100 * row[column] / total:5.1f}%  {row[1]:>9} calls  "
                f"{function} ({where}:{line})"
            )


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("front_end", choices=("plugin", "contracts"))
    parser.add_argument("tree", type=Path)
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument("--save", type=Path, help="also write the raw profile here")
    args = parser.parse_args()
    save = args.save.resolve() if args.save else None
    tree = args.tree.resolve()
    profiler = profile_plugin(tree) if args.front_end == "plugin" else profile_contracts(tree)
    if save is not None:
        profiler.dump_stats(save)
    report(profiler, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())

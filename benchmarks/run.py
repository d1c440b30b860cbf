"""Time both front ends on generated monorepos and print the ratios against their budgets.

Trees: S (about 2,000 modules), 2S and 4S (for growth) and L (at least 10,000 modules).
``generate.py`` makes them under ``.cache/bench-trees/`` with a fixed seed. No two units
share a top-level name, so import-linter's built-in contracts and tach can check them too.

Measured, each figure the median of ``--reps`` runs (3 by default; the sides of a
comparison are run in turn, A B A B ..., so that a slow spell on the machine hits both):

(c) ``lint-imports``: this project's two contracts against the equivalent built-in
    ``forbidden`` and ``layers`` contracts, graph cache off and on (warmed first);
(a) flake8 ``--select=E,W,F,BND`` with the plugin against the same command with the
    plugin left out (``flake8_runner.py``), on S with ``--jobs=1`` and on L with the
    default jobs; wall time and CPU time (user + system of the process and its workers);
(b) one editor call on stdin, in a new process each time, with and without the plugin,
    and the plugin's share of one profiled in-process call;
(e) the plugin alone (every file parsed beforehand, then checked) on S, 2S, 4S and L,
    and lint-imports on each tree, for the growth;
(d) ``tach check`` with the same rules, in its own virtualenv under ``.cache/``; skipped
    with the reason printed when it cannot be installed or would overrun the time.

The whole run stays under 10 minutes on a 2-core machine: tach runs that would overrun
``--budget`` seconds are skipped, with the reason printed. ``--quick`` uses trees of a
few hundred modules for a smoke test; ``--tree PATH`` measures an existing monorepo
instead (no growth, no tach). Results also go to ``.cache/bench-results.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CACHE = PROJECT / ".cache"
TACH_VERSION = "0.35.3"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from profile_front_ends import parsed_python_files  # noqa: E402

OVERHEAD_BUDGET = 1.05
# Growth counts as linear when the time per extra module from 2x to 4x stays within
# this factor of that from 1x to 2x. The margin allows for noise on a shared machine.
LINEAR_SLOPE = (0.8, 1.25)


@dataclass
class TreeSpec:
    """One benchmark tree: its label, generator parameters and where it lives."""

    label: str
    params: generate.Params
    path: Path
    modules: int = 0
    planted: list[dict] = field(default_factory=list)


@dataclass
class Timing:
    """Medians of wall and CPU seconds over repeated runs."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def as_dict(self) -> dict:
        return {"wall": self.wall, "cpu": self.cpu}


class Runner:
    """Runs commands, keeps the time budget and collects results and ratio lines."""

    def __init__(self, budget: float, reps: int) -> None:
        self.start = time.monotonic()
        self.budget = budget
        self.reps = reps
        self.results: dict[str, object] = {}
        self.ratios: list[str] = []

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        return self.budget - self.elapsed()

    def say(self, text: str) -> None:
        print(text, flush=True)

    def timed(
        self, command: Sequence[str], cwd: Path, env: dict | None = None, stdin: bytes = b""
    ) -> tuple[float, float, subprocess.CompletedProcess]:
        """Run a command; return wall seconds, CPU seconds of it and its children, result."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            list(command), cwd=cwd, env=env, input=stdin, capture_output=True, check=False
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, done

    def alternate(
        self,
        sides: dict[str, tuple[Sequence[str], dict | None]],
        cwd: Path,
        expect: Callable[[subprocess.CompletedProcess], str | None],
        stdin: bytes = b"",
        reps: int | None = None,
    ) -> dict[str, Timing]:
        """Run each side ``reps`` times in turn and return the timings per side."""
        timings = {name: Timing() for name in sides}
        for _ in range(reps or self.reps):
            for name, (command, env) in sides.items():
                wall, cpu, done = self.timed(command, cwd, env, stdin)
                problem = expect(done)
                if problem:
                    raise SystemExit(
                        f"{name}: {problem}\n$ {' '.join(command)}\n"
                        f"{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}"
                    )
                timings[name].wall.append(wall)
                timings[name].cpu.append(cpu)
        return timings


def exits_with(code: int) -> Callable[[subprocess.CompletedProcess], str | None]:
    def check(done: subprocess.CompletedProcess) -> str | None:
        if done.returncode != code:
            return f"exit status {done.returncode}, expected {code}"
        return None

    return check


def findings_at_least(count: int) -> Callable[[subprocess.CompletedProcess], str | None]:
    """flake8 over a tree: the planted BND findings (or, without the plugin, none)."""

    def check(done: subprocess.CompletedProcess) -> str | None:
        found = done.stdout.decode().count(": BND")
        if found < count:
            return f"{found} BND findings, expected at least {count}"
        if done.returncode not in (0, 1):
            return f"exit status {done.returncode}"
        return None

    return check


# Trees ----------------------------------------------------------------------------------


def tree_specs(quick: bool) -> list[TreeSpec]:
    # Modules of about 40 lines: flake8's own cost grows with lines and the plugin's
    # does not, so small modules make the plugin's overhead look as large as it gets.
    base = dict(modules_per_unit=20, functions=0) if quick else dict(functions=0)
    services, packages = (3, 2) if quick else (23, 13)
    specs = []
    for label, factor in (("S", 1), ("2S", 2), ("4S", 4), ("L", 5)):
        params = generate.Params(services=services * factor, packages=packages * factor, **base)
        folder = CACHE / "bench-trees" / (f"quick-{label}" if quick else label)
        specs.append(TreeSpec(label, params, folder))
    return specs


def make_tree(spec: TreeSpec) -> None:
    manifest_path = spec.path / "manifest.json"
    expected_params = {**spec.params.__dict__, "generator": _generator_stamp()}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == expected_params:
            spec.modules, spec.planted = manifest["modules"], manifest["planted"]
            return
    if spec.path.exists():
        shutil.rmtree(spec.path)
    manifest = generate.generate(spec.path, spec.params)
    manifest["params"] = expected_params
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    spec.modules, spec.planted = manifest["modules"], manifest["planted"]


def _generator_stamp() -> str:
    stat = (HERE / "generate.py").stat()
    return f"{stat.st_size}-{int(stat.st_mtime)}"


def clear_import_linter_caches(root: Path) -> None:
    shutil.rmtree(root / ".import_linter_cache", ignore_errors=True)


# Commands -------------------------------------------------------------------------------


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found next to {sys.executable} or on PATH")
    return found


def flake8_command(with_plugin: bool, args: Sequence[str]) -> list[str]:
    without = "" if with_plugin else "BND"
    return [sys.executable, str(HERE / "flake8_runner.py"), f"--without={without}", "--", *args]


def base_env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


# Sections -------------------------------------------------------------------------------


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def fmt_timing(timing: Timing, cpu: bool = True) -> str:
    text = f"{timing.wall_median:7.2f} s wall"
    if cpu:
        text += f" {timing.cpu_median:7.2f} s cpu"
    return text


def section_lint_imports(
    run: Runner,
    spec: TreeSpec,
    cwd: Path,
    config_dir: Path,
    with_cache: bool,
    expect: Callable[[subprocess.CompletedProcess], str | None] = exits_with(1),
) -> dict[str, Timing]:
    """Ours against the built-ins, cache off (and on, warmed, when ``with_cache``).

    The caches live under ``cwd``; on a generated tree that is the tree itself.
    """
    lint = tool("lint-imports")
    has_builtin = (config_dir / "bench-builtin.ini").is_file()
    builtin_env = base_env()
    if has_builtin:
        roots = (config_dir / "bench-pythonpath.txt").read_text().strip()
        builtin_env["PYTHONPATH"] = roots
    sides: dict[str, tuple[Sequence[str], dict | None]] = {
        "ours, cache off": (
            [lint, "--no-logo", "--no-cache", str(config_dir / "bench-ours-nocache.ini")],
            base_env(),
        ),
    }
    if has_builtin:
        sides["built-in, cache off"] = (
            [lint, "--no-logo", "--no-cache", str(config_dir / "bench-builtin.ini")],
            builtin_env,
        )
    timings = run.alternate(sides, cwd, expect)
    if with_cache:
        timings.update(cached_lint_imports(run, spec, cwd, config_dir, expect, report=False))
    for name, timing in timings.items():
        run.say(f"  lint-imports {spec.label:>2} {name:<20} {fmt_timing(timing)}")
    if not has_builtin:
        run.say(f"  built-in contracts skipped on {spec.label}: top-level names collide")
    return timings


def cached_lint_imports(
    run: Runner,
    spec: TreeSpec,
    cwd: Path,
    config_dir: Path,
    expect: Callable[[subprocess.CompletedProcess], str | None] = exits_with(1),
    report: bool = True,
) -> dict[str, Timing]:
    """Ours against the built-ins with the graph cache on, after one run that fills it."""
    lint = tool("lint-imports")
    clear_import_linter_caches(cwd)
    cached: dict[str, tuple[Sequence[str], dict | None]] = {
        "ours, cache on": ([lint, "--no-logo", str(config_dir / "bench-ours.ini")], base_env())
    }
    if (config_dir / "bench-builtin.ini").is_file():
        env = base_env()
        env["PYTHONPATH"] = (config_dir / "bench-pythonpath.txt").read_text().strip()
        cached["built-in, cache on"] = (
            [lint, "--no-logo", str(config_dir / "bench-builtin.ini")],
            env,
        )
    run.alternate(cached, cwd, expect, reps=1)  # fill the caches
    timings = run.alternate(cached, cwd, expect)
    if report:
        for name, timing in timings.items():
            run.say(f"  lint-imports {spec.label:>2} {name:<20} {fmt_timing(timing)}")
    return timings


def section_flake8(run: Runner, spec: TreeSpec, root: Path, jobs: str) -> dict[str, Timing]:
    args = ["--select=E,W,F,BND", "--exit-zero", *([f"--jobs={jobs}"] if jobs else []), "."]
    sides = {
        "with plugin": (flake8_command(True, args), base_env()),
        "without plugin": (flake8_command(False, args), base_env()),
    }
    timings = _alternate_flake8(run, sides, root, len(spec.planted))
    label = f"--jobs={jobs}" if jobs else "default jobs"
    for name, timing in timings.items():
        run.say(f"  flake8 {spec.label:>2} {label:<12} {name:<15} {fmt_timing(timing)}")
    return timings


def _alternate_flake8(run: Runner, sides: dict, root: Path, count: int) -> dict[str, Timing]:
    timings = {name: Timing() for name in sides}
    for _ in range(run.reps):
        for name, (command, env) in sides.items():
            wall, cpu, done = run.timed(command, root, env)
            problem = findings_at_least(count if name == "with plugin" else 0)(done)
            if problem:
                raise SystemExit(f"flake8 {name}: {problem}\n{done.stderr.decode()[-2000:]}")
            timings[name].wall.append(wall)
            timings[name].cpu.append(cpu)
    return timings


def section_stdin(run: Runner, spec: TreeSpec, root: Path, relative: str) -> dict:
    """One editor call on stdin, cold, with and without the plugin; and a profiled one."""
    source = (root / relative).read_bytes()
    args = [f"--stdin-display-name={relative}", "--select=E,W,F,BND", "--exit-zero", "-"]
    sides = {
        "with plugin": (flake8_command(True, args), base_env()),
        "without plugin": (flake8_command(False, args), base_env()),
    }
    timings = run.alternate(sides, root, exits_with(0), stdin=source, reps=max(run.reps, 5))
    for name, timing in timings.items():
        run.say(f"  stdin  {spec.label:>2} {relative} {name:<15} {fmt_timing(timing)}")
    done = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--profile-stdin", relative],
        cwd=root,
        input=source,
        capture_output=True,
        check=True,
        env=base_env(),
    )
    profile = json.loads(done.stdout.decode().strip().splitlines()[-1])
    run.say(
        f"  stdin  {spec.label:>2} profiled in-process call: {profile['total']:.3f} s, "
        f"plugin {profile['plugin']:.4f} s ({100 * profile['share']:.1f}%; "
        f"import {profile['import']:.4f} s, run {profile['run']:.4f} s)"
    )
    return {"timings": timings, "profile": profile}


def profile_stdin(relative: str) -> None:
    """Child of section_stdin: profile one in-process flake8 call on stdin, print JSON."""
    import cProfile
    import pstats

    started = time.perf_counter()
    from flake8.main.application import Application

    before_plugin = time.perf_counter()
    import service_boundaries.flake8_plugin  # noqa: F401

    import_seconds = time.perf_counter() - before_plugin
    data = sys.stdin.buffer.read()
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    output = Path(os.devnull)
    profiler = cProfile.Profile()
    profiler.enable()
    Application().run(
        [
            f"--stdin-display-name={relative}",
            "--select=E,W,F,BND",
            f"--output-file={output}",
            "-",
        ]
    )
    profiler.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    plugin_calls = 0.0
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        if "service_boundaries" in filename and filename.endswith("flake8_plugin.py"):
            if function in ("run", "parse_options", "add_options"):
                plugin_calls += row[3]
    plugin = import_seconds + plugin_calls
    print(
        json.dumps(
            {
                "total": total,
                "import": import_seconds,
                "run": plugin_calls,
                "plugin": plugin,
                "share": plugin / total,
            }
        )
    )


def section_plugin_alone(run: Runner, spec: TreeSpec, root: Path) -> Timing:
    done = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--plugin-alone", str(run.reps)],
        cwd=root,
        capture_output=True,
        check=False,
        env=base_env(),
    )
    if done.returncode != 0:
        raise SystemExit(f"plugin-alone run failed:\n{done.stderr.decode()[-3000:]}")
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    if result["findings"] < len(spec.planted):
        raise SystemExit(f"plugin alone found {result['findings']} of {len(spec.planted)}")
    timing = Timing(wall=result["times"], cpu=result["cpu"])
    run.say(
        f"  plugin alone {spec.label:>2} ({spec.modules} files, parse not counted) "
        f"{fmt_timing(timing)}, {1000 * timing.cpu_median / max(spec.modules, 1):.3f} ms/file"
    )
    return timing


def plugin_alone(reps: int) -> None:
    """Child of section_plugin_alone: parse every file, then time the plugin over them."""
    from service_boundaries import checker
    from service_boundaries.flake8_plugin import BoundaryChecker

    files = parsed_python_files()
    times, cpu, findings = [], [], 0
    for _ in range(reps):
        checker.clear_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        findings = 0
        for path, tree in files:
            for _finding in BoundaryChecker(tree, path).run():
                findings += 1
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(json.dumps({"times": times, "cpu": cpu, "findings": findings}))


def ensure_tach(run: Runner) -> str | None:
    """Return the tach executable, installing it in .cache/bench-tach; None with a reason."""
    venv = CACHE / "bench-tach"
    executable = venv / "bin" / "tach"
    if executable.exists():
        return str(executable)
    run.say(f"  installing tach=={TACH_VERSION} into {venv} (pip, from PyPI) ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"tach=={TACH_VERSION}"],
            check=True,
            capture_output=True,
            timeout=240,
        )
    except (subprocess.SubprocessError, OSError) as error:
        shutil.rmtree(venv, ignore_errors=True)
        run.say(f"  tach skipped: it could not be installed ({error})")
        return None
    return str(executable) if executable.exists() else None


def section_tach(run: Runner, tach: str, spec: TreeSpec, root: Path) -> Timing:
    timings = run.alternate({"tach": ([tach, "check"], base_env())}, root, exits_with(1))
    timing = timings["tach"]
    run.say(f"  tach   {spec.label:>2} tach check{'':<14} {fmt_timing(timing)}")
    return timing


# Report ---------------------------------------------------------------------------------


def growth_line(name: str, sizes: list[tuple[TreeSpec, float]]) -> str:
    """Growth from 1x to 2x and 4x: the raw time ratios, and the cost of each extra module.

    A run has a fixed part (start-up, imports) that hides growth on small trees, so
    linearity is judged on the slope: seconds per extra module from 1x to 2x against
    from 2x to 4x. Linear growth keeps the slope; quadratic growth doubles it.
    """
    (s1, t1), (s2, t2), (s4, t4) = sizes
    slope_low = (t2 - t1) / (s2.modules - s1.modules)
    slope_high = (t4 - t2) / (s4.modules - s2.modules)
    slope_ratio = slope_high / slope_low if slope_low > 0 else float("nan")
    if slope_low <= 0 or slope_high <= 0:
        verdict = "too small to tell: the fixed cost and noise dominate"
    elif slope_ratio > LINEAR_SLOPE[1]:
        verdict = "SUPERLINEAR: budget fails"
    elif slope_ratio < LINEAR_SLOPE[0]:
        verdict = "sublinear: budget holds"
    else:
        verdict = "linear: budget holds"
    return (
        f"growth {name:<34} x{t2 / t1:.2f} at {s2.label} "
        f"(x{s2.modules / s1.modules:.2f} modules), "
        f"x{t4 / t1:.2f} at {s4.label} (x{s4.modules / s1.modules:.2f}); "
        f"ms per extra module {1000 * slope_low:.3f} then {1000 * slope_high:.3f} "
        f"(x{slope_ratio:.2f})  -> {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small trees, for a smoke test")
    parser.add_argument("--tree", type=Path, help="measure this existing monorepo instead")
    parser.add_argument("--reps", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=570.0,
        help="seconds the whole run may take; tach runs that would overrun it are skipped",
    )
    parser.add_argument("--no-tach", action="store_true", help="skip tach")
    parser.add_argument("--profile-stdin", help=argparse.SUPPRESS)
    parser.add_argument("--plugin-alone", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile_stdin:
        profile_stdin(args.profile_stdin)
        return 0
    if args.plugin_alone:
        plugin_alone(args.plugin_alone)
        return 0
    if args.reps < 3:
        parser.error("--reps must be at least 3: each figure is a median")
    run = Runner(args.budget, args.reps)
    if args.tree is not None:
        return measure_existing(run, args)
    return measure_generated(run, args)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0], "nproc": str(os.cpu_count())}
    for name in ("flake8", "import-linter", "grimp", "service-boundaries"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def measure_generated(run: Runner, args: argparse.Namespace) -> int:
    specs = tree_specs(args.quick)
    versions = _versions()
    run.say("machine: " + ", ".join(f"{key} {value}" for key, value in versions.items()))
    run.say("trees:")
    for spec in specs:
        make_tree(spec)
        run.say(f"  {spec.label:>2}: {spec.modules} modules at {spec.path}")
    small, large = specs[0], specs[-1]
    growth_specs = specs[:3]
    results: dict = {"versions": versions, "trees": {s.label: s.modules for s in specs}}

    run.say("(c) lint-imports, ours against the built-in contracts:")
    lint: dict[str, dict[str, Timing]] = {}
    for spec in specs:
        with_cache = spec is small
        lint[spec.label] = section_lint_imports(run, spec, spec.path, spec.path, with_cache)

    run.say("(a) flake8 with the plugin against flake8 without it:")
    flake8_small = section_flake8(run, small, small.path, "1")
    flake8_large = section_flake8(run, large, large.path, "")

    run.say("(b) one editor call on stdin, cold:")
    stdin_file = next(item["path"] for item in large.planted if item["code"] == "BND201")
    stdin = section_stdin(run, large, large.path, stdin_file)

    run.say("(e) the plugin alone, for the growth:")
    alone = {spec.label: section_plugin_alone(run, spec, spec.path) for spec in growth_specs}

    run.say("(c) lint-imports with the graph cache on, on L:")
    small_cached = lint[small.label]
    estimate = (
        (
            small_cached["ours, cache on"].wall_median
            + small_cached["built-in, cache on"].wall_median
        )
        * large.modules
        / small.modules
        * (run.reps + 1)
    )
    if estimate < run.left() - 60:
        lint[large.label].update(cached_lint_imports(run, large, large.path, large.path))
    else:
        run.say(
            f"  skipped: estimated at {estimate:.0f} s, {max(run.left(), 0):.0f} s left of "
            f"the {run.budget:.0f} s budget"
        )

    run.say("(d) tach check with the same rules:")
    tach_times: dict[str, Timing] = {}
    tach = None if args.no_tach else ensure_tach(run)
    if args.no_tach:
        run.say("  tach skipped: --no-tach")
    elif tach is not None:
        previous: tuple[TreeSpec, float] | None = None
        for spec in specs:
            if previous is not None:
                # tach grows faster than linearly here; extrapolate with the worst
                # exponent seen so far (at least 2) before committing to a run.
                factor = (spec.modules / previous[0].modules) ** tach_exponent(tach_times, specs)
                estimate = previous[1] * factor * (run.reps + 0.5)
                if estimate > run.left() - 15:
                    run.say(
                        f"  tach skipped on {spec.label} ({spec.modules} modules): "
                        f"{run.reps} runs estimated at {estimate:.0f} s, "
                        f"{max(run.left(), 0):.0f} s left of the {run.budget:.0f} s budget"
                    )
                    break
            tach_times[spec.label] = section_tach(run, tach, spec, spec.path)
            previous = (spec, tach_times[spec.label].wall_median)

    results.update(
        lint={k: {n: t.as_dict() for n, t in v.items()} for k, v in lint.items()},
        flake8_small=_dicts(flake8_small),
        flake8_large=_dicts(flake8_large),
        stdin={"timings": _dicts(stdin["timings"]), "profile": stdin["profile"]},
        plugin_alone={k: v.as_dict() for k, v in alone.items()},
        tach={k: v.as_dict() for k, v in tach_times.items()},
    )

    # Ratio lines, last --------------------------------------------------------------------
    lines = []
    for spec, timings, label in (
        (small, flake8_small, "--jobs=1"),
        (large, flake8_large, "default jobs"),
    ):
        wall = ratio(timings["with plugin"].wall_median, timings["without plugin"].wall_median)
        cpu = ratio(timings["with plugin"].cpu_median, timings["without plugin"].cpu_median)
        lines.append(
            f"ratio flake8 with/without plugin {spec.label:>2} {label:<12} "
            f"wall {wall:.3f} cpu {cpu:.3f}  (budget <= {OVERHEAD_BUDGET:.2f}: "
            f"{'holds' if cpu <= OVERHEAD_BUDGET else 'FAILS'})"
        )
    with_stdin = stdin["timings"]["with plugin"].wall_median
    without_stdin = stdin["timings"]["without plugin"].wall_median
    lines.append(
        f"ratio stdin call with/without plugin {large.label:>2}        "
        f"wall {ratio(with_stdin, without_stdin):.3f} "
        f"(+{1000 * (with_stdin - without_stdin):.0f} ms; "
        f"plugin share of a profiled call {100 * stdin['profile']['share']:.1f}%)"
    )
    for spec in specs:
        timings = lint[spec.label]
        for cache in ("off", "on"):
            ours = timings.get(f"ours, cache {cache}")
            builtin = timings.get(f"built-in, cache {cache}")
            if ours is None or builtin is None:
                continue
            value = ratio(ours.wall_median, builtin.wall_median)
            lines.append(
                f"ratio lint-imports ours/built-in {spec.label:>2} cache {cache:<3}    "
                f"wall {value:.3f} cpu {ratio(ours.cpu_median, builtin.cpu_median):.3f}  "
                f"(budget <= 1.00: {'holds' if value <= 1.0 else 'FAILS'})"
            )
    for label, timing in tach_times.items():
        ours = lint[label]["ours, cache off"]
        lines.append(
            f"ratio lint-imports ours/tach     {label:>2} cache off    "
            f"wall {ratio(ours.wall_median, timing.wall_median):.3f}"
        )
    sizes = [(spec, alone[spec.label].cpu_median) for spec in growth_specs]
    lines.append(growth_line("plugin alone (cpu)", sizes))
    for name in ("ours, cache off", "built-in, cache off"):
        if all(name in lint[spec.label] for spec in growth_specs):
            sizes = [(spec, lint[spec.label][name].wall_median) for spec in growth_specs]
            lines.append(growth_line(f"lint-imports {name} (wall)", sizes))
    if all(spec.label in tach_times for spec in growth_specs):
        sizes = [(spec, tach_times[spec.label].wall_median) for spec in growth_specs]
        lines.append(growth_line("tach check (wall)", sizes))
    results["ratios"] = lines
    results["elapsed"] = run.elapsed()
    CACHE.mkdir(exist_ok=True)
    name = "bench-results-quick.json" if args.quick else "bench-results.json"
    (CACHE / name).write_text(json.dumps(results, indent=1) + "\n")
    run.say(f"ratios (medians of {run.reps} runs; {run.elapsed():.0f} s in all):")
    for line in lines:
        run.say(line)
    return 0


def tach_exponent(tach_times: dict[str, Timing], specs: list[TreeSpec]) -> float:
    measured = [(s, tach_times[s.label].wall_median) for s in specs if s.label in tach_times]
    if len(measured) < 2:
        return 2.0
    (a, ta), (b, tb) = measured[0], measured[-1]
    return max(2.0, math.log(tb / ta) / math.log(b.modules / a.modules))


def _dicts(timings: dict[str, Timing]) -> dict:
    return {name: timing.as_dict() for name, timing in timings.items()}


def measure_existing(run: Runner, args: argparse.Namespace) -> int:
    root = args.tree.resolve()
    config_dir = CACHE / "bench-config" / root.name
    model = generate.write_configs(root, config_dir)
    spec = TreeSpec("T", generate.Params(), root, modules=model.modules)
    run.say(f"tree {root}: {model.modules} modules; configuration in {config_dir}")
    run.say("(c) lint-imports, ours against the built-in contracts:")
    # The caches go to the configuration folder: nothing is written into the tree.
    lint = section_lint_imports(run, spec, config_dir, config_dir, True, _either)
    run.say("(a) flake8 with the plugin against flake8 without it:")
    flake8_one = section_flake8(run, spec, root, "1")
    flake8_default = section_flake8(run, spec, root, "")
    run.say("(b) one editor call on stdin, cold:")
    services = sorted((root / "services").rglob("*.py")) if (root / "services").is_dir() else []
    candidates = services or sorted(root.rglob("*.py"))
    stdin = section_stdin(run, spec, root, os.path.relpath(candidates[0], root))
    run.say("(d) tach: skipped on an existing tree (it needs tach.toml at the tree's root)")
    run.say(f"ratios (medians of {run.reps} runs; {run.elapsed():.0f} s in all):")
    for label, timings in (("--jobs=1", flake8_one), ("default jobs", flake8_default)):
        cpu = ratio(timings["with plugin"].cpu_median, timings["without plugin"].cpu_median)
        wall = ratio(timings["with plugin"].wall_median, timings["without plugin"].wall_median)
        run.say(f"ratio flake8 with/without plugin {label:<12} wall {wall:.3f} cpu {cpu:.3f}")
    stdin_t = stdin["timings"]
    run.say(
        "ratio stdin call with/without plugin "
        f"{ratio(stdin_t['with plugin'].wall_median, stdin_t['without plugin'].wall_median):.3f}"
    )
    for cache in ("off", "on"):
        ours, builtin = lint.get(f"ours, cache {cache}"), lint.get(f"built-in, cache {cache}")
        if ours and builtin:
            run.say(
                f"ratio lint-imports ours/built-in cache {cache} "
                f"{ratio(ours.wall_median, builtin.wall_median):.3f}"
            )
    return 0


def _either(done: subprocess.CompletedProcess) -> str | None:
    """A real tree need not break any rule: either exit status of lint-imports is fine."""
    return None if done.returncode in (0, 1) else f"exit status {done.returncode}"


if __name__ == "__main__":
    sys.exit(main())

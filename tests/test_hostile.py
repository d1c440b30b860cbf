"""Hostile input: each bad file or folder gets one clear message, nothing crashes or
hangs, nothing outside the root is read, and nothing being checked is ever run.

Unreadable files and folders are simulated: the tests run as root, and chmod 000 does
not stop root. ``os.scandir`` (the engine's listings, grimp's walk here and flake8's own
walk) and ``tokenize.open`` (how flake8 reads a file) are monkeypatched to raise
PermissionError for the chosen paths. grimp reads files in Rust, which a monkeypatch cannot
reach. Run by hand as a non-root user on a chmod 000 file, grimp 3.20 raised
``FileNotFoundError('Failed to read file <path>: Permission denied (os error 13)')``, so
the grimp test raises that error in its place.
"""

from __future__ import annotations

import ast
import contextlib
import os
import signal
import subprocess
import sys
import time
import tokenize
from collections.abc import Iterator
from pathlib import Path

import grimp.application.usecases
import pytest
from flake8.exceptions import ExecutionError

from helpers import contract_findings, run_flake8, write_tree
from service_boundaries import flake8_plugin
from service_boundaries.contracts.graphs import GraphBuildError, check_workspace
from service_boundaries.names import Names
from service_boundaries.workspace import Workspace

FLAKE8 = Path(sys.executable).with_name("flake8")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
NOTIFIER = "services/notifier/notifier"

# A small monorepo; client.py breaks BND101, which shows that good files are still
# checked next to the bad ones.
BASE = {
    "src/shop/__init__.py": "",
    "src/shop/views.py": "",
    "packages/money/money/__init__.py": "",
    "packages/money/money/fmt.py": "",
    f"{NOTIFIER}/__init__.py": "",
    f"{NOTIFIER}/client.py": "import shop\n",
}
CANARY = (f"{NOTIFIER}/client.py", 1, "BND101")

CONTRACTS_CONFIG = """\
[importlinter]
root_package = service_boundaries
contract_types =
    boundaries: service_boundaries.contracts.ImportBoundariesContract

[importlinter:contract:boundaries]
name = Boundaries
type = boundaries
root = {root}
cache_dir = none
"""


def flake8_lines(root: Path, *extra: str) -> list[tuple[str, int, str, str]]:
    """Run flake8 in this process; return (path, line, code, text) for BND and E9 codes."""
    printed = run_flake8(
        ["--select=BND,E9", "--format=%(path)s|%(row)d|%(code)s|%(text)s", "--jobs=1", *extra]
        + ["."],
        cwd=root,
    )
    lines = []
    for line in printed.splitlines():
        path, row, code, text = line.split("|", 3)
        lines.append((os.path.normpath(path), int(row), code, text))
    return sorted(lines)


def codes_by_file(lines: list[tuple[str, int, str, str]]) -> set[tuple[str, int, str]]:
    return {(path, row, code) for path, row, code, _ in lines}


def run_lint_imports(root: Path, config_dir: Path) -> subprocess.CompletedProcess[str]:
    config = config_dir / "contracts.ini"
    config.write_text(CONTRACTS_CONFIG.format(root=root))
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", str(config)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
        timeout=120,
    )


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError instead of hanging the suite."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def deny_scandir(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> None:
    """Make os.scandir raise PermissionError for ``folders``, as for a chmod 000 folder."""
    denied = {os.path.realpath(folder) for folder in folders}
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        # Some callers (shutil.rmtree) pass an open folder descriptor, not a path.
        if not isinstance(path, int) and os.path.realpath(os.fspath(path)) in denied:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)


# Bad files, each next to good code, and what flake8 reports for each.
CORPUS_BYTES: dict[str, bytes] = {
    f"{NOTIFIER}/syntax_error.py": b"import shop\ndef broken(:\n",
    f"{NOTIFIER}/null_byte.py": b"import shop\n\x00\n",
    f"{NOTIFIER}/undecodable.py": b"import shop\ntext = '\xff\xfe'\n",
    f"{NOTIFIER}/with_bom.py": b"\xef\xbb\xbfimport shop\n",
    f"{NOTIFIER}/latin1.py": "# -*- coding: latin-1 -*-\ncafe = 'caf\xe9'\nimport shop\n".encode(
        "latin-1"
    ),
    f"{NOTIFIER}/long_line.py": b"VALUE = '" + b"x" * 1_000_000 + b"'; import shop\n",
    f"{NOTIFIER}/nested.py": b"import shop\nx = " + b"(" * 150 + b"1" + b")" * 150 + b"\n",
    f"{NOTIFIER}/deep_relative.py": b"from ....... import anything\n",
    f"{NOTIFIER}/star.py": b"from . import *\nfrom .. import *\n",
    f"{NOTIFIER}/nowhere.py": b"import nowhere.at.all\nfrom notifier.missing import thing\n",
    f"{NOTIFIER}/class/mod.py": b"import shop\n",
    f"{NOTIFIER}/my-tools/mod.py": b"import shop\n",
    f"{NOTIFIER}/my.tools/mod.py": b"import shop\n",
    f"{NOTIFIER}/odd/mod.py": b"import shop\n",
    # A unit with no Python code at all.
    "services/web/package.json": b"{}\n",
    "services/web/src/app.js": b"import shop from './shop.js';\n",
}

EXPECTED_FLAKE8 = {
    CANARY,
    (f"{NOTIFIER}/syntax_error.py", 2, "E999"),
    (f"{NOTIFIER}/null_byte.py", 1, "E999"),
    # flake8 reads a file that is not valid UTF-8 as latin-1 and checks it.
    (f"{NOTIFIER}/undecodable.py", 1, "BND101"),
    (f"{NOTIFIER}/with_bom.py", 1, "BND101"),
    (f"{NOTIFIER}/latin1.py", 3, "BND101"),
    (f"{NOTIFIER}/long_line.py", 1, "BND101"),
    (f"{NOTIFIER}/nested.py", 1, "BND101"),
    (f"{NOTIFIER}/deep_relative.py", 1, "BND902"),
    (f"{NOTIFIER}/star.py", 2, "BND902"),
    (f"{NOTIFIER}/class/mod.py", 1, "BND101"),
    (f"{NOTIFIER}/my-tools/mod.py", 1, "BND101"),
    (f"{NOTIFIER}/my.tools/mod.py", 1, "BND101"),
    (f"{NOTIFIER}/odd/mod.py", 1, "BND101"),
}

# The contracts see the corpus without the files grimp cannot parse or decode (their
# messages are tested below). grimp does not scan folders whose names are not
# identifiers, and cannot see BND902.
UNPARSABLE_FOR_GRIMP = ("syntax_error.py", "null_byte.py", "undecodable.py")
EXPECTED_CONTRACTS = {
    item
    for item in EXPECTED_FLAKE8
    if item[2].startswith("BND")
    and item[2] != "BND902"
    and not item[0].endswith(UNPARSABLE_FOR_GRIMP)
    and "my-tools" not in item[0]
    and "my.tools" not in item[0]
}


def write_corpus(root: Path, skip_unparsable: bool = False) -> Path:
    write_tree(root, BASE)
    for relative, data in CORPUS_BYTES.items():
        if skip_unparsable and relative.endswith(UNPARSABLE_FOR_GRIMP):
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # A folder named __init__.py: neither a package marker nor a module.
    (root / NOTIFIER / "odd" / "__init__.py").mkdir()
    return root


def test_flake8_hostile_corpus(tmp_path: Path) -> None:
    lines = flake8_lines(write_corpus(tmp_path))
    assert codes_by_file(lines) == EXPECTED_FLAKE8
    messages = {path: text for path, _, code, text in lines if code == "E999"}
    assert "null bytes" in messages[f"{NOTIFIER}/null_byte.py"]
    assert "SyntaxError" in messages[f"{NOTIFIER}/syntax_error.py"]


def test_flake8_command_prints_no_traceback(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    result = subprocess.run(
        [str(FLAKE8), "--select=BND,E9", "--jobs=2", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "client.py:1:1: BND101" in result.stdout


def test_contracts_check_every_parsable_hostile_file(tmp_path: Path) -> None:
    # grimp 3.20 panics on the relative import that climbs seven levels; the contracts
    # then scan that group from source. The panic message is printed by grimp's Rust
    # core on stderr; nothing else reaches the user.
    write_corpus(tmp_path, skip_unparsable=True)
    assert contract_findings(tmp_path) == EXPECTED_CONTRACTS


UNPARSABLE = [
    ("syntax-error", b"import shop\ndef broken(:\n", "line 2: invalid syntax"),
    ("null-byte", b"import shop\n\x00\n", "line 2: source code string cannot contain null"),
    ("tabs-and-spaces", b"if True:\n\tx = 1\n        y = 2\n", "inconsistent use of tabs"),
    (
        "nested-too-deep",
        b"import shop\nx = " + b"-" * 5000 + b"1\n",
        "expressions nested too deeply for the parser",
    ),
    ("too-many-parentheses", b"x = " + b"(" * 300 + b")" * 300 + b"\n", "too many nested"),
]


@pytest.mark.parametrize(
    ("source", "reason"), [case[1:] for case in UNPARSABLE], ids=[c[0] for c in UNPARSABLE]
)
def test_contracts_name_the_unparsable_file_and_the_fix(
    tmp_path: Path, source: bytes, reason: str
) -> None:
    write_tree(tmp_path, BASE)
    (tmp_path / NOTIFIER / "bad.py").write_bytes(source)
    with pytest.raises(GraphBuildError) as raised:
        check_workspace(Workspace.discover(tmp_path))
    message = str(raised.value)
    assert message.startswith(f"cannot parse {NOTIFIER}/bad.py, ")
    assert reason in message
    assert message.endswith("fix the file (flake8 reports it as E999), then run again.")
    assert "\n" not in message
    assert len(message) < 300


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (b"import shop\ntext = '\xff\xfe'\n", "as UTF-8: invalid utf-8 sequence"),
        (b"# -*- coding: klingon -*-\nimport shop\n", "(unknown encoding 'klingon')"),
    ],
    ids=["undecodable-bytes", "unknown-coding"],
)
def test_contracts_name_the_undecodable_file_and_the_fix(
    tmp_path: Path, source: bytes, reason: str
) -> None:
    write_tree(tmp_path, BASE)
    bad = tmp_path / NOTIFIER / "bad.py"
    bad.write_bytes(source)
    with pytest.raises(GraphBuildError) as raised:
        check_workspace(Workspace.discover(tmp_path))
    message = str(raised.value)
    assert str(bad) in message
    assert reason in message
    assert "save the file as UTF-8, or declare its encoding" in message


def test_lint_imports_syntax_error_message(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", BASE)
    (root / NOTIFIER / "bad.py").write_bytes(b"import shop\n\x00\n")
    result = run_lint_imports(root, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert (
        f"contract 'Boundaries': cannot parse {NOTIFIER}/bad.py, line 2: source code string "
        "cannot contain null bytes; fix the file (flake8 reports it as E999), then run again."
    ) in " ".join(output.split())


@pytest.mark.xfail(
    raises=RecursionError,
    strict=True,
    reason="flake8 7.x builds the syntax tree itself and does not catch RecursionError "
    "(FileProcessor.build_ast), so the whole run stops before any plugin sees the file",
)
def test_flake8_on_expression_nested_too_deep(tmp_path: Path) -> None:
    write_tree(tmp_path, BASE)
    (tmp_path / NOTIFIER / "deep.py").write_text("x = " + "-" * 5000 + "1\n")
    assert CANARY in codes_by_file(flake8_lines(tmp_path))


def test_five_megabyte_module(tmp_path: Path) -> None:
    write_tree(tmp_path, BASE)
    big = tmp_path / NOTIFIER / "big.py"
    big.write_text("import shop\n" + ("X = '" + "a" * 1000 + "'\n") * 5000)
    assert big.stat().st_size > 5_000_000
    tree = ast.parse(big.read_bytes())
    started = time.perf_counter()
    results = list(flake8_plugin.BoundaryChecker(tree, str(big)).run())
    assert time.perf_counter() - started < 5
    assert [(line, text.split()[0]) for line, _, text, _ in results] == [(1, "BND101")]
    assert (f"{NOTIFIER}/big.py", 1, "BND101") in contract_findings(tmp_path)


# Unreadable files and folders --------------------------------------------------------


def test_flake8_reports_an_unreadable_file_as_e902(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {**BASE, f"{NOTIFIER}/secret.py": "import shop\n"})
    real_open = tokenize.open

    def denying_open(filename: object) -> object:
        if str(filename).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(filename))
        return real_open(filename)  # type: ignore[arg-type]

    monkeypatch.setattr(tokenize, "open", denying_open)
    lines = flake8_lines(tmp_path)
    assert codes_by_file(lines) == {CANARY, (f"{NOTIFIER}/secret.py", 0, "E902")}
    assert "Permission denied" in lines[-1][3] or "Permission denied" in lines[0][3]


def test_contracts_report_a_file_grimp_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {**BASE, f"{NOTIFIER}/secret.py": "import shop\n"})
    secret = tmp_path / NOTIFIER / "secret.py"

    def denying_scan(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(f"Failed to read file {secret}: Permission denied (os error 13)")

    monkeypatch.setattr(grimp.application.usecases, "_scan_packages", denying_scan)
    with pytest.raises(GraphBuildError) as raised:
        check_workspace(Workspace.discover(tmp_path))
    message = str(raised.value)
    assert f"Failed to read file {secret}: Permission denied" in message
    assert "make the files under the workspace root readable" in message


def test_unreadable_folder_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            **BASE,
            f"{NOTIFIER}/uses_money.py": "from money import fmt\n",
            f"{NOTIFIER}/uses_money_too.py": "import money.fmt\n",
        },
    )
    deny_scandir(monkeypatch, tmp_path / "packages/money/money")
    lines = flake8_lines(tmp_path)
    problems = [line for line in lines if line[2] == "BND903"]
    assert len(problems) == 1
    assert problems[0][3] == (
        "cannot read packages/money/money: Permission denied; the names in it are unknown "
        "to the check. Make it readable by the user running the check, or remove it."
    )
    assert CANARY in codes_by_file(lines)
    with pytest.raises(GraphBuildError) as raised:
        contract_findings(tmp_path)
    assert "\nBND903 cannot read packages/money/money: Permission denied" in str(raised.value)


def test_unreadable_services_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {**BASE, "src/shop/views.py": "from money import fmt\n"})
    deny_scandir(monkeypatch, tmp_path / "services")
    lines = flake8_lines(tmp_path)
    assert [line[2:] for line in lines] == [
        (
            "BND903",
            "cannot read services: Permission denied; the names in it are unknown to the "
            "check. Make it readable by the user running the check, or remove it.",
        )
    ]


# Odd layouts -----------------------------------------------------------------------


def test_services_that_is_a_file_is_reported_once(tmp_path: Path) -> None:
    files = {key: value for key, value in BASE.items() if not key.startswith("services/")}
    files["services"] = "not a folder\n"
    files["packages/money/money/fmt.py"] = "import shop\n"
    write_tree(tmp_path, files)
    lines = flake8_lines(tmp_path)
    problems = [line for line in lines if line[2] == "BND904"]
    assert len(problems) == 1
    assert problems[0][3].startswith(
        "services is a file, not a folder, so no services were read from it; remove or "
        "rename the file"
    )
    assert ("packages/money/money/fmt.py", 1, "BND104") in codes_by_file(lines)
    with pytest.raises(GraphBuildError, match="\nBND904 services is a file, not a folder"):
        contract_findings(tmp_path)


def test_empty_areas(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "packages").mkdir()
    write_tree(tmp_path, {"src/shop/__init__.py": "import billing\n"})
    assert flake8_lines(tmp_path) == []
    assert flake8_lines(tmp_path, f"--boundaries-root={tmp_path}") == []
    assert contract_findings(tmp_path) == set()


def test_empty_root(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "packages").mkdir()
    assert contract_findings(tmp_path) == set()


# Symbolic links ----------------------------------------------------------------------


def test_symlink_loops_and_links_out_of_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links that loop or leave the root are not followed, and reported once each.

    Two links to their own folder make grimp's own walk (os.walk with followlinks=True)
    exponential; the contracts give grimp a walk that follows the same policy. The flake8
    plugin lists a folder only when a check needs it (here, to resolve 'notifier.client'),
    so it reports the links of the folders it lists; flake8's own walk does not follow
    links to folders.
    """
    outside = write_tree(tmp_path / "outside", {"leak.py": "import shop\n"})
    root = write_tree(
        tmp_path / "repo", {**BASE, f"{NOTIFIER}/uses_itself.py": "from notifier import client\n"}
    )
    package = root / NOTIFIER
    (package / "again").symlink_to(".")
    (package / "once_more").symlink_to("..")
    (package / "elsewhere").symlink_to(outside)
    (package / "ping").symlink_to("pong")
    (package / "pong").symlink_to("ping")
    (root / "packages" / "escape").symlink_to(outside)
    listed: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path: object = ".") -> object:
        if not isinstance(path, int):
            listed.append(os.path.realpath(os.fspath(path)))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", recording_scandir)
    with time_limit(60):
        lines = flake8_lines(root)
    problems = sorted((line[2], line[3].split(" is ")[0]) for line in lines if line[1] == 1)
    assert ("BND905", "packages/escape") in problems
    assert ("BND905", f"{NOTIFIER}/elsewhere") in problems
    assert ("BND906", f"{NOTIFIER}/again") in problems
    assert ("BND906", f"{NOTIFIER}/ping") in problems or ("BND906", f"{NOTIFIER}/pong") in problems
    assert CANARY in codes_by_file(lines)
    assert not any("leak" in line[0] for line in lines)
    with time_limit(60), pytest.raises(GraphBuildError) as raised:
        contract_findings(root)
    message = str(raised.value)
    assert f"\nBND905 {NOTIFIER}/elsewhere is a symbolic link to {outside}, outside" in message
    assert f"\nBND906 {NOTIFIER}/again is a symbolic link to {NOTIFIER}, a folder" in message
    assert not [folder for folder in listed if folder.startswith(str(outside))]


def test_symlink_inside_the_root_is_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {**BASE, "packages/money/money/fmt.py": "import shop\n"})
    (tmp_path / "packages" / "cash").mkdir()
    (tmp_path / "packages" / "cash" / "cash").symlink_to(tmp_path / "packages/money/money")
    workspace = Workspace.discover(tmp_path)
    cash = next(unit for unit in workspace.units if unit.name == "cash")
    assert workspace.top_level_names(cash) == {"cash"}
    assert workspace.found_problems == []


# Roots that are too big ----------------------------------------------------------------


def test_filesystem_root_option_rejected() -> None:
    if Workspace.discover(Path("/")).is_monorepo:
        pytest.skip("this machine's / holds services/ or packages/")
    with pytest.raises(ExecutionError) as raised:
        flake8_plugin._checked_root("/", Names())
    assert str(raised.value).startswith(
        "option --boundaries-root (from the command line, or the [flake8] section of "
        "setup.cfg, tox.ini or .flake8): '/' is not a monorepo root: it holds none of the "
        "folders services/ and packages/."
    )


def test_flake8_with_filesystem_root_stays_bounded(tmp_path: Path) -> None:
    # flake8 normalizes '--boundaries-root=/' to an empty value (it strips the trailing
    # separator), so the option counts as unset and the root is searched from the file's
    # folder upwards: a few stat calls, never a walk of '/'.
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(FLAKE8),
            "--select=BND",
            "--boundaries-root=/",
            "--stdin-display-name=services/billing/billing/api.py",
            "-",
        ],
        input="import shop\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.perf_counter() - started < 30
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_home_folder_root_stays_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    write_tree(
        home,
        {
            "packages/tool/tool/__init__.py": "",
            "packages/tool/tool/cli.py": "import os\nimport tool\nimport requests\n",
            **{f"Downloads/d{i}/f{j}.py": "" for i in range(30) for j in range(3)},
            **{f".cache/c{i}/x.py": "" for i in range(30)},
            "projects/app/src/app/__init__.py": "",
        },
    )
    listed: list[Path] = []
    original = Workspace._read_listing

    def recording(self: Workspace, folder: Path) -> object:
        listed.append(folder)
        return original(self, folder)

    monkeypatch.setattr(Workspace, "_read_listing", recording)
    source = home / "packages/tool/tool/cli.py"
    checker = flake8_plugin.BoundaryChecker(ast.parse(source.read_text()), str(source))
    assert list(checker.run()) == []
    assert listed and all(
        folder == home / "packages" or folder.is_relative_to(home / "packages")
        for folder in listed
    )


# Never run the checked code ------------------------------------------------------------


def test_checked_code_is_never_imported_or_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    payload = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    root = write_tree(
        tmp_path / "repo",
        {
            "conftest.py": payload,
            "setup.py": payload,
            "src/shop/__init__.py": payload + "import notifier\n",
            "src/shop/__main__.py": payload,
            "src/shop/conftest.py": payload,
            "packages/money/setup.py": payload,
            "packages/money/conftest.py": payload,
            "packages/money/money/__init__.py": payload + "import shop\n",
            f"{NOTIFIER}/__init__.py": payload,
            f"{NOTIFIER}/main.py": payload + "if __name__ == '__main__':\n    " + payload,
            "services/notifier/tests/conftest.py": payload,
            "services/notifier/tests/test_client.py": payload + "import shop\n",
        },
    )
    flake8 = codes_by_file(flake8_lines(root))
    contracts = contract_findings(root)
    expected = {
        ("src/shop/__init__.py", 2, "BND103"),
        ("packages/money/money/__init__.py", 2, "BND104"),
        ("services/notifier/tests/test_client.py", 2, "BND101"),
    }
    assert flake8 == expected
    assert contracts == expected
    result = run_lint_imports(root, tmp_path)
    assert "3 broken imports" in result.stdout, result.stdout + result.stderr
    assert not marker.exists(), marker.read_text()


# Invalid configuration: flake8 options -------------------------------------------------

OPTION_SOURCE = "(from the command line, or the [flake8] section of setup.cfg, tox.ini or .flake8)"

BAD_OPTIONS = [
    (
        "root-missing",
        ["--boundaries-root=nowhere"],
        "option --boundaries-root {source}: 'nowhere' is not a folder; give the folder "
        "that holds services/ and packages/",
    ),
    (
        "root-is-a-file",
        ["--boundaries-root=setup.py"],
        "option --boundaries-root {source}: 'setup.py' is not a folder",
    ),
    (
        "root-not-a-monorepo",
        ["--boundaries-root=lib"],
        "option --boundaries-root {source}: 'lib' is not a monorepo root: it holds none "
        "of the folders services/ and packages/.",
    ),
    (
        "names-unknown-key",
        ["--boundaries-names=servces = apps"],
        "option --boundaries-names {source}: unknown key 'servces'; accepted keys are app, "
        "services, packages, core, ports, adapters, main. Did you mean 'services'?",
    ),
    (
        "names-entry-without-equals",
        ["--boundaries-names=services"],
        "option --boundaries-names {source}: invalid entry 'services'; expected 'key = name, "
        "name'",
    ),
    (
        "names-empty-value",
        ["--boundaries-names=core ="],
        "option --boundaries-names {source}: 'core' has no folder names; give at least one.",
    ),
    (
        "names-path-as-folder",
        ["--boundaries-names=services = apps/web"],
        "option --boundaries-names {source}: 'services' has invalid folder names ['apps/web']; "
        "use plain folder names without '/' or '.'.",
    ),
]


@pytest.mark.parametrize(
    ("args", "message"), [case[1:] for case in BAD_OPTIONS], ids=[c[0] for c in BAD_OPTIONS]
)
def test_bad_flake8_option_gets_clear_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    write_tree(tmp_path, {"setup.py": "", "lib/x.py": "", "services/a/a/__init__.py": ""})
    result = subprocess.run(
        [str(FLAKE8), "--select=BND", *args, "services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1
    assert "Traceback" not in output
    assert message.format(source=OPTION_SOURCE, tmp=tmp_path) in output


def test_bad_option_in_config_file_gets_clear_message(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/a/a/__init__.py": ""})
    (tmp_path / "setup.cfg").write_text("[flake8]\nboundaries-names =\n    core = core/x\n")
    result = subprocess.run(
        [str(FLAKE8), "--select=BND", "services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        f"option --boundaries-names {OPTION_SOURCE}: 'core' has invalid folder names ['core/x']"
    ) in " ".join(result.stdout.split())


def test_root_with_null_byte_rejected() -> None:
    with pytest.raises(ExecutionError, match="'a\\\\x00b' is not a folder; give the folder"):
        flake8_plugin._checked_root("a\0b", Names())


@pytest.mark.xfail(
    strict=True,
    reason="flake8 7.x reads boolean options from config files with "
    "ConfigParser.getboolean and lets its ValueError escape as a traceback, for every "
    "boolean option, its own included (show-source = maybe)",
)
def test_bad_boolean_in_config_file_gets_clear_message(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/a/a/__init__.py": ""})
    (tmp_path / "setup.cfg").write_text("[flake8]\nboundaries-exclude-type-checking = maybe\n")
    result = subprocess.run(
        [str(FLAKE8), "--select=BND", "services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in result.stderr


# Invalid configuration: contract fields ------------------------------------------------
# Only tests are added here: contracts/types.py is being edited elsewhere. The cases
# already in test_contract_config.py are not repeated.

CONTRACT_HEADER = """\
[importlinter]
root_package = service_boundaries
{session}contract_types =
    boundaries: service_boundaries.contracts.ImportBoundariesContract

[importlinter:contract:boundaries]
name = Boundaries
type = boundaries
"""

BAD_FIELDS = [
    (
        "root-is-a-file",
        "root = {tmp}/afile\n",
        "root: '{tmp}/afile' is not a folder. Set root to the folder that holds services/ "
        "and packages/",
    ),
    (
        "names-path-as-folder",
        "names = services = apps/web\n",
        "names: 'services' has invalid folder names ['apps/web']; use plain folder names "
        "without '/' or '.'.",
    ),
    (
        "names-entry-without-equals",
        "names = services\n",
        "names: invalid entry 'services'; expected 'key = name, name'",
    ),
    (
        "ignore-imports-without-arrow",
        "ignore_imports = a.b\n",
        'ignore_imports: Must be in the form "package.importer -> package.imported".',
    ),
    (
        "cache-dir-is-a-file",
        "cache_dir = {tmp}/afile\n",
        "contract 'Boundaries': cannot create the cache folder {tmp}/afile/service-boundaries/",
    ),
]


def run_contract_config(tmp_path: Path, text: str) -> str:
    (tmp_path / "afile").write_text("")
    root = write_tree(tmp_path / "repo", BASE)
    config = tmp_path / "contracts.ini"
    config.write_text(text.format(tmp=tmp_path))
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", str(config)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
        timeout=120,
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return " ".join(output.split())


@pytest.mark.parametrize(
    ("fields", "message"), [case[1:] for case in BAD_FIELDS], ids=[c[0] for c in BAD_FIELDS]
)
def test_bad_contract_field_gets_clear_message(tmp_path: Path, fields: str, message: str) -> None:
    output = run_contract_config(tmp_path, CONTRACT_HEADER.format(session="") + fields)
    assert message.format(tmp=tmp_path) in output


def test_bad_exclude_type_checking_imports_gets_clear_message(tmp_path: Path) -> None:
    output = run_contract_config(
        tmp_path,
        CONTRACT_HEADER.format(session="exclude_type_checking_imports = maybe\n"),
    )
    assert "exclude_type_checking_imports" in output
    assert "'maybe'" in output


def test_file_name_component_too_long(tmp_path: Path) -> None:
    # os.stat raises ENAMETOOLONG (not ENOENT) for a 300-character folder name, so the
    # root search above such a file must treat it as missing, not stop the plugin.
    write_tree(tmp_path, BASE)
    filename = str(tmp_path / "services" / ("n" * 300) / "x.py")
    results = list(flake8_plugin.BoundaryChecker(ast.parse("import shop\n"), filename).run())
    assert results == []

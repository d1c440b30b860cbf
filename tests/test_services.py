"""The service layout checks (BND3xx): trees that pass, and trees that break each check.

Every case starts from services that pass every check, in the flat and in the src/
layout, and changes one thing. The engine must then report exactly the expected codes.
The example monorepo must pass, and a copy of it with each check broken once must fail
with exactly one message per break through lint-imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import write_tree
from service_boundaries.errors import ConfigError
from service_boundaries.services import (
    SERVICE_CODES,
    check_services,
    parse_disable,
    parse_dockerfile,
    read_compose,
    route_of,
    scan_sources,
)
from service_boundaries.workspace import Workspace

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE = REPOSITORY / "examples" / "monorepo"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

DOCKERFILE = """\
FROM python:3.12-slim AS build
WORKDIR /build
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl
CMD ["python", "-m", "{name}"]
"""

CONFIG = """\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    port: int = 8080
"""

HEALTH = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/livez")
def livez() -> str:
    return "ok"


@router.get("/readyz")
def readyz() -> str:
    return "ready"
"""

MAIN = """\
import signal
import sys


def run() -> None:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
"""


def service_files(name: str, layout: str) -> dict[str, str]:
    """Files of a service that passes every check, in the 'flat' or 'src' layout."""
    base = f"services/{name}"
    package = f"{base}/src/{name}" if layout == "src" else f"{base}/{name}"
    return {
        f"{base}/Dockerfile": DOCKERFILE.format(name=name),
        f"{base}/pyproject.toml": f'[project]\nname = "{name}"\nversion = "1.0"\n',
        f"{package}/__init__.py": "",
        f"{package}/config.py": CONFIG,
        f"{package}/health.py": HEALTH,
        f"{package}/main.py": MAIN,
        f"{base}/tests/test_health.py": "def test_nothing() -> None:\n    pass\n",
    }


GOOD_TREE = {
    **service_files("billing", "src"),
    **service_files("notifier", "flat"),
    "packages/money/money/__init__.py": "",
}


def findings(root: Path, **options: object) -> set[tuple[str, str]]:
    """Run the checks and return (code, service) pairs."""
    report = check_services(Workspace.discover(root), **options)
    return {(finding.code, finding.service) for finding in report.findings}


def drop(tree: dict[str, str], *paths: str) -> dict[str, str]:
    return {path: source for path, source in tree.items() if path not in paths}


def test_good_tree_passes(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD_TREE)
    assert findings(tmp_path) == set()


# One change per case, for each layout: (id, files to drop, files to write, code).
BREAKS = [
    ("no-dockerfile", ["{base}/Dockerfile"], {}, "BND301"),
    (
        "healthcheck",
        [],
        {"{base}/Dockerfile": DOCKERFILE + "HEALTHCHECK CMD curl -f http://localhost/livez\n"},
        "BND302",
    ),
    ("single-stage", [], {"{base}/Dockerfile": "FROM python:3.12\nRUN pip install .\n"}, "BND303"),
    ("no-livez", [], {"{pkg}/health.py": HEALTH.replace('"/livez"', '"/alive"')}, "BND304"),
    ("no-readyz", [], {"{pkg}/health.py": HEALTH.replace('"/readyz"', '"/ready"')}, "BND305"),
    ("no-sigterm", [], {"{pkg}/main.py": MAIN.replace("SIGTERM", "SIGINT")}, "BND306"),
    ("no-config", ["{pkg}/config.py"], {}, "BND307"),
    (
        "config-folder-without-init",
        ["{pkg}/config.py"],
        {"{base}/config/settings.yaml": "port: 8080\n"},
        "BND307",
    ),
    ("no-entry-point", ["{pkg}/main.py"], {"{pkg}/app.py": MAIN}, "BND308"),
    ("no-tests", ["{base}/tests/test_health.py"], {}, "BND309"),
    (
        "empty-tests-folder",
        ["{base}/tests/test_health.py"],
        {"{base}/tests/__init__.py": ""},
        "BND309",
    ),
    ("no-build-metadata", ["{base}/pyproject.toml"], {}, "BND310"),
    (
        "pyproject-with-tools-only",
        [],
        {"{base}/pyproject.toml": "[tool.ruff]\nline-length = 99\n"},
        "BND310",
    ),
    ("broken-pyproject", [], {"{base}/pyproject.toml": "[project\nname = 1\n"}, "BND310"),
]


@pytest.mark.parametrize("layout", ["flat", "src"])
@pytest.mark.parametrize(
    ("dropped", "written", "code"), [case[1:] for case in BREAKS], ids=[c[0] for c in BREAKS]
)
def test_each_break_gives_one_finding(
    tmp_path: Path, layout: str, dropped: list[str], written: dict[str, str], code: str
) -> None:
    base = "services/svc"
    pkg = f"{base}/src/svc" if layout == "src" else f"{base}/svc"
    tree = {**service_files("svc", layout), "packages/money/money/__init__.py": ""}
    tree = drop(tree, *(path.format(base=base, pkg=pkg) for path in dropped))
    tree.update({path.format(base=base, pkg=pkg): text for path, text in written.items()})
    write_tree(tmp_path, tree)
    assert findings(tmp_path) == {(code, "svc")}


def test_message_names_service_and_rule(tmp_path: Path) -> None:
    write_tree(tmp_path, drop(GOOD_TREE, "services/notifier/notifier/config.py"))
    (finding,) = check_services(Workspace.discover(tmp_path)).findings
    assert finding.text == (
        "BND307 service 'notifier' has no config.py or config/ package in "
        "services/notifier or its top-level package; every service reads its environment "
        "in its own config module"
    )
    assert finding.path == tmp_path / "services/notifier"
    assert finding.line is None


# Alternatives that also pass.
PASSING_VARIANTS = [
    ("config-package", {"services/notifier/notifier/config/__init__.py": CONFIG}, ["config.py"]),
    ("dunder-main", {"services/notifier/notifier/__main__.py": MAIN}, ["main.py"]),
    (
        "tests-inside-package",
        {"services/notifier/notifier/tests/test_x.py": ""},
        ["tests/test_health.py"],
    ),
    (
        "nested-test-module",
        {"services/notifier/tests/unit/x_test.py": ""},
        ["tests/test_health.py"],
    ),
    (
        "setup-cfg",
        {"services/notifier/setup.cfg": "[metadata]\nname = notifier\n"},
        ["pyproject.toml"],
    ),
    (
        "setup-py",
        {"services/notifier/setup.py": "from setuptools import setup\nsetup()\n"},
        ["pyproject.toml"],
    ),
    (
        "poetry",
        {"services/notifier/pyproject.toml": '[tool.poetry]\nname = "notifier"\n'},
        [],
    ),
    ("containerfile", {"services/notifier/Containerfile": DOCKERFILE}, ["Dockerfile"]),
    (
        "routes-in-another-module",
        {"services/notifier/notifier/probes.py": 'LIVE = "/livez"\nREADY = "/readyz"\n'},
        ["notifier/health.py"],
    ),
]


@pytest.mark.parametrize(
    ("written", "dropped"),
    [case[1:] for case in PASSING_VARIANTS],
    ids=[c[0] for c in PASSING_VARIANTS],
)
def test_variants_pass(tmp_path: Path, written: dict[str, str], dropped: list[str]) -> None:
    tree = drop(GOOD_TREE, *(f"services/notifier/{path}" for path in dropped))
    write_tree(tmp_path, {**tree, **written})
    assert findings(tmp_path) == set()


# Dockerfiles ------------------------------------------------------------------------

# (id, Dockerfile, expected (code, line) pairs)
DOCKERFILES = [
    ("multi-stage-as", DOCKERFILE, set()),
    (
        "lowercase-instructions",
        "from python:3.12 as build\nrun pip wheel .\nfrom python:3.12-slim\n"
        "healthcheck cmd curl -f localhost\n",
        {("BND302", 4)},
    ),
    (
        "healthcheck-first-stage-only",
        "FROM python:3.12 AS build\nHEALTHCHECK CMD true\nRUN make\n\n"
        "FROM python:3.12-slim\nCOPY --from=build /app /app\n",
        {("BND302", 2)},
    ),
    (
        "healthcheck-none-is-allowed",
        "FROM python:3.12 AS build\nRUN make\nFROM base-with-probe\nHEALTHCHECK NONE\n",
        set(),
    ),
    (
        "healthcheck-none-lowercase",
        "FROM a AS b\nFROM b\nhealthcheck none\n",
        set(),
    ),
    (
        "healthcheck-flags-on-continuation-lines",
        "FROM a AS build\nFROM b\n"
        "HEALTHCHECK --interval=30s --timeout=3s \\\n"
        "  # poll the readiness route\n"
        "  CMD curl -f http://localhost/readyz || exit 1\n",
        {("BND302", 3)},
    ),
    (
        "keyword-alone-on-its-line",
        "FROM a AS build\nFROM b\nHEALTHCHECK \\\n    CMD true\n",
        {("BND302", 3)},
    ),
    (
        "continuation-with-blank-and-comment-lines",
        "FROM a AS build\nRUN apt-get update \\\n\n    # tools\n    && apt-get install -y gcc\n"
        "FROM b\nCMD run\n",
        set(),
    ),
    (
        "commented-out-healthcheck",
        "FROM a AS build\nFROM b\n# HEALTHCHECK CMD curl localhost\n   # healthcheck cmd x\n",
        set(),
    ),
    (
        "single-stage",
        "# syntax=docker/dockerfile:1\nFROM python:3.12\nCMD run\n",
        {("BND303", 2)},
    ),
    (
        "from-in-a-continuation-is-one-stage",
        "FROM \\\n  python:3.12 \\\n  AS build\nRUN echo FROM x\n",
        {("BND303", 1)},
    ),
    (
        "heredoc-body-is-not-instructions",
        "# syntax=docker/dockerfile:1\nFROM python:3.12\nCOPY <<EOF /etc/notes\n"
        "FROM here\nHEALTHCHECK CMD nothing\nEOF\nRUN <<-'SCRIPT' bash\n\tfrom x\n\tSCRIPT\n",
        {("BND303", 2)},
    ),
    (
        "escape-directive-backtick",
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM mcr.microsoft.com/windows AS build\n"
        "RUN echo one `\n    HEALTHCHECK CMD not-an-instruction\nFROM b\n",
        set(),
    ),
    (
        "escape-after-comment-is-a-comment",
        "# build the service\n# escape=`\nFROM a AS build\nRUN echo `\nHEALTHCHECK CMD x\nFROM b\n",
        {("BND302", 5)},
    ),
    (
        "check-directive-then-escape",
        "# check=skip=JSONArgsRecommended\n# escape=`\nFROM a AS build\nRUN x `\n"
        "  HEALTHCHECK CMD y\nFROM b\n",
        set(),
    ),
    (
        "platform-flag-and-two-healthchecks",
        "FROM --platform=$BUILDPLATFORM golang AS build\nHEALTHCHECK CMD a\n"
        "FROM scratch\nHEALTHCHECK --interval=5s CMD b\n",
        {("BND302", 2), ("BND302", 4)},
    ),
    (
        "crlf-line-endings",
        "FROM a AS build\r\nRUN x \\\r\n  y\r\nFROM b\r\nHEALTHCHECK CMD c\r\n",
        {("BND302", 5)},
    ),
]


@pytest.mark.parametrize(
    ("dockerfile", "expected"), [c[1:] for c in DOCKERFILES], ids=[c[0] for c in DOCKERFILES]
)
def test_dockerfiles(tmp_path: Path, dockerfile: str, expected: set[tuple[str, int]]) -> None:
    path = tmp_path / "services/notifier/Dockerfile"
    write_tree(tmp_path, GOOD_TREE)
    path.write_bytes(dockerfile.encode())
    report = check_services(Workspace.discover(tmp_path))
    assert {(f.code, f.line) for f in report.findings} == expected
    assert all(f.path == path for f in report.findings)


def test_parser_joins_continuations_and_names_stages() -> None:
    dockerfile = parse_dockerfile(
        "ARG PY=3.12\nfrom python:${PY} as Build\nrun pip install \\\n  # comment\n"
        "  flask\nFROM build\n"
    )
    assert [(i.keyword, i.arguments, i.line) for i in dockerfile.instructions] == [
        ("ARG", "PY=3.12", 1),
        ("FROM", "python:${PY} as Build", 2),
        ("RUN", "pip install   flask", 3),
        ("FROM", "build", 6),
    ]
    assert [(s.base, s.name) for s in dockerfile.stages] == [
        ("python:${PY}", "Build"),
        ("build", None),
    ]


def test_healthcheck_message_names_stage(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD_TREE)
    (tmp_path / "services/notifier/Dockerfile").write_text(
        "FROM a AS build\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/livez\nFROM b\n"
    )
    (finding,) = check_services(Workspace.discover(tmp_path)).findings
    assert finding.text == (
        "BND302 services/notifier/Dockerfile of service 'notifier' has 'HEALTHCHECK "
        "--interval=5s CMD curl -f http://localhost/livez' in stage 'build'; probes belong "
        "to the orchestrator, not to the image"
    )


# Routes and SIGTERM ---------------------------------------------------------------

SIGTERM_SOURCES = [
    ("signal-signal", "import signal\nsignal.signal(signal.SIGTERM, stop)\n", True),
    ("from-import", "from signal import SIGTERM, signal\nsignal(SIGTERM, stop)\n", True),
    ("signals-enum", "import signal\nsignal.signal(signal.Signals.SIGTERM, stop)\n", True),
    (
        "asyncio-loop",
        "import asyncio, signal\nloop = asyncio.get_running_loop()\n"
        "loop.add_signal_handler(signal.SIGTERM, stop.set)\n",
        True,
    ),
    (
        "loop-over-signals",
        "import signal\nfor sig in (signal.SIGTERM, signal.SIGINT):\n"
        "    loop.add_signal_handler(sig, stop)\n",
        True,
    ),
    (
        "named-tuple-of-signals",
        "import signal\nSTOP = (signal.SIGINT, signal.SIGTERM)\n\n\ndef run():\n"
        "    for each in STOP:\n        signal.signal(each, handler)\n",
        True,
    ),
    (
        "comprehension",
        "import signal\n[signal.signal(s, stop) for s in [signal.SIGTERM]]\n",
        True,
    ),
    (
        "anyio-receiver",
        "import anyio, signal\n\n\nasync def watch():\n"
        "    with anyio.open_signal_receiver(signal.SIGTERM) as signals:\n"
        "        async for _ in signals:\n            return\n",
        True,
    ),
    ("sigwait", "import signal\nsignal.sigwait({signal.SIGTERM})\n", True),
    (
        "keyword-argument",
        "import signal\nsignal.signal(signalnum=signal.SIGTERM, handler=h)\n",
        True,
    ),
    ("sigint-only", "import signal\nsignal.signal(signal.SIGINT, stop)\n", False),
    ("ignored", "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n", False),
    ("default", "from signal import *\nsignal(SIGTERM, SIG_DFL)\n", False),
    ("only-mentioned", '"""Stops on SIGTERM."""\nimport signal\nprint(signal.SIGTERM)\n', False),
    ("raises-sigterm", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n", False),
]


@pytest.mark.parametrize(
    ("source", "found"), [c[1:] for c in SIGTERM_SOURCES], ids=[c[0] for c in SIGTERM_SOURCES]
)
def test_sigterm_detection(tmp_path: Path, source: str, found: bool) -> None:
    path = tmp_path / "main.py"
    path.write_text(source)
    facts = scan_sources([path])
    assert (facts.sigterm is not None) is found


def test_sigterm_handler_in_tests_ignored(tmp_path: Path) -> None:
    tree = drop(GOOD_TREE, "services/notifier/notifier/main.py")
    tree["services/notifier/notifier/__main__.py"] = "print('started')\n"
    tree["services/notifier/tests/test_stop.py"] = MAIN
    write_tree(tmp_path, tree)
    assert findings(tmp_path) == {("BND306", "notifier")}


ROUTE_CONSTANTS = [
    ("/livez", "/livez"),
    ("/livez/", "/livez"),
    ("/internal/readyz", "/readyz"),
    ("/readyz?verbose=1", "/readyz"),
    (b"/livez", "/livez"),
    ("livez", None),
    ("/livezz", None),
    ("GET /livez when alive", None),
    ("/live", None),
]


@pytest.mark.parametrize(("value", "route"), ROUTE_CONSTANTS)
def test_route_constants(value: object, route: str | None) -> None:
    assert route_of(value) == route


def test_routes_in_f_strings_and_handlers(tmp_path: Path) -> None:
    path = tmp_path / "web.py"
    path.write_text(
        'PREFIX = "/ops"\n\n\nclass H:\n    def do_GET(self):\n'
        '        if self.path == f"{PREFIX}/livez":\n            pass\n'
        '        elif self.path in ("/readyz", "/readyz/"):\n            pass\n'
    )
    facts = scan_sources([path])
    assert facts.routes == {"/livez": (path, 6), "/readyz": (path, 8)}


def test_unparsable_file_skipped_and_counted(tmp_path: Path) -> None:
    tree = dict(GOOD_TREE)
    tree["services/notifier/notifier/health.py"] = "def broken(:\n    '/livez'\n"
    write_tree(tmp_path, tree)
    report = check_services(Workspace.discover(tmp_path))
    assert {(f.code, f.service) for f in report.findings} == {
        ("BND304", "notifier"),
        ("BND305", "notifier"),
    }
    assert "(1 file could not be parsed)" in report.findings[0].message


# Compose ----------------------------------------------------------------------------

COMPOSE_CASES = [
    (
        "context-string-and-image",
        "services:\n  billing:\n    build: ./services/billing\n"
        "  mailer:\n    image: ghcr.io/acme/notifier:1.4\n",
        set(),
    ),
    (
        "context-mapping-with-dockerfile",
        "services:\n  billing:\n    build:\n      context: services/billing\n"
        "      dockerfile: Dockerfile\n  notifier:\n    build:\n      context: .\n"
        "      dockerfile: services/notifier/Dockerfile\n",
        set(),
    ),
    (
        "image-with-digest-and-variables",
        "services:\n  billing:\n    image: ${REGISTRY:-registry.example.com}/billing@sha256:abc\n"
        "  notifier:\n    image: ${REGISTRY}/notifier:${TAG:-latest}\n",
        set(),
    ),
    (
        "one-missing",
        "services:\n  billing:\n    build: ./services/billing\n  db:\n    image: postgres:16\n",
        {("BND311", "notifier")},
    ),
    (
        "anchors-and-merge-keys",
        "x-base: &base\n  restart: always\n  build: ./services/billing\n"
        "services:\n  billing:\n    <<: *base\n  notifier:\n    <<: *base\n"
        "    build: ./services/notifier\n",
        set(),
    ),
    (
        "name-only-does-not-match",
        "services:\n  billing:\n    image: postgres\n  notifier:\n    image: notifier\n",
        {("BND311", "billing")},
    ),
    ("empty-file-lists-nothing", "", {("BND311", "billing"), ("BND311", "notifier")}),
]


@pytest.mark.parametrize(
    ("compose", "expected"), [c[1:] for c in COMPOSE_CASES], ids=[c[0] for c in COMPOSE_CASES]
)
def test_compose(tmp_path: Path, compose: str, expected: set[tuple[str, str]]) -> None:
    write_tree(tmp_path, {**GOOD_TREE, "compose.yaml": compose})
    assert findings(tmp_path) == expected


def test_compose_include_is_followed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **GOOD_TREE,
            "compose.prod.yaml": "include:\n  - deploy/billing.yaml\n"
            "services:\n  notifier:\n    build: services/notifier\n",
            "deploy/billing.yaml": "services:\n  billing:\n    build: ../services/billing\n",
            "compose.yaml": "services: {}\n",
        },
    )
    report = check_services(Workspace.discover(tmp_path))
    assert report.compose == tmp_path / "compose.prod.yaml"
    assert report.findings == ()
    assert [entry.key for entry in read_compose(tmp_path / "compose.prod.yaml")] == [
        "billing",
        "notifier",
    ]


def test_compose_option(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {**GOOD_TREE, "compose.yaml": "services: {}\n", "deploy/prod.yml": "services: {}\n"},
    )
    missing_both = {("BND311", "billing"), ("BND311", "notifier")}
    assert findings(tmp_path) == missing_both
    assert findings(tmp_path, compose="deploy/prod.yml") == missing_both
    assert findings(tmp_path, compose="none") == set()
    with pytest.raises(ConfigError, match="compose file 'deploy/nope.yml' not found"):
        findings(tmp_path, compose="deploy/nope.yml")


def test_compose_that_is_not_yaml(tmp_path: Path) -> None:
    write_tree(tmp_path, {**GOOD_TREE, "compose.yaml": "services:\n  a: [1\n"})
    with pytest.raises(ConfigError, match="cannot parse compose file"):
        findings(tmp_path)


def test_compose_dockerfile_is_checked(tmp_path: Path) -> None:
    tree = drop(GOOD_TREE, "services/billing/Dockerfile")
    tree["services/billing/docker/prod.Dockerfile"] = "FROM a\nHEALTHCHECK CMD x\n"
    tree["compose.yaml"] = (
        "services:\n  billing:\n    build:\n      context: services/billing\n"
        "      dockerfile: docker/prod.Dockerfile\n  notifier:\n    image: notifier\n"
    )
    write_tree(tmp_path, tree)
    assert findings(tmp_path) == {("BND302", "billing"), ("BND303", "billing")}


# Turning checks off -----------------------------------------------------------------


def test_disable_list(tmp_path: Path) -> None:
    tree = drop(GOOD_TREE, "services/notifier/notifier/config.py", "services/billing/Dockerfile")
    write_tree(tmp_path, tree)
    both = {("BND307", "notifier"), ("BND301", "billing")}
    assert findings(tmp_path) == both
    assert findings(tmp_path, disabled=parse_disable("BND307", "test")) == {("BND301", "billing")}
    assert findings(tmp_path, disabled=parse_disable("notifier: BND307", "t")) == {
        ("BND301", "billing")
    }
    assert findings(tmp_path, disabled=parse_disable("billing:BND307", "t")) == both
    assert findings(tmp_path, disabled=parse_disable(["billing:*", "bnd307"], "t")) == set()
    report = check_services(Workspace.discover(tmp_path), parse_disable("*", "t"))
    assert (report.findings, report.disabled) == ((), 2)


def test_disable_in_service_pyproject(tmp_path: Path) -> None:
    tree = drop(GOOD_TREE, "services/notifier/notifier/config.py")
    tree["services/notifier/pyproject.toml"] += (
        '\n[tool.service-boundaries]\ndisable = ["BND307"]\n'
    )
    write_tree(tmp_path, tree)
    assert findings(tmp_path) == set()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("BND3O7", "'BND3O7': unknown code 'BND3O7'; service checks are BND301 to BND311"),
        ("BND102", "unknown code 'BND102'"),
        (":BND301", "give the service folder name before ':'"),
    ],
)
def test_disable_list_errors(raw: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_disable(raw, "option --disable")


def test_disable_list_suggests_nearest_code() -> None:
    with pytest.raises(ConfigError, match="did you mean BND307"):
        parse_disable("BND3007", "field 'disable'")


def test_disable_list_with_unknown_service(tmp_path: Path) -> None:
    write_tree(tmp_path, GOOD_TREE)
    with pytest.raises(ConfigError, match="services that do not exist: biling"):
        findings(tmp_path, disabled=parse_disable("biling:BND301", "t"))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'disable = ["BND399"]',
            r"services/notifier/pyproject.toml: \[tool.service-boundaries\] "
            "disable: 'BND399': unknown code",
        ),
        ("disable = 306", "disable must be a list of codes"),
        ('skip = ["BND301"]', "unknown keys"),
    ],
)
def test_service_pyproject_errors(tmp_path: Path, table: str, message: str) -> None:
    tree = dict(GOOD_TREE)
    tree["services/notifier/pyproject.toml"] += f"\n[tool.service-boundaries]\n{table}\n"
    write_tree(tmp_path, tree)
    with pytest.raises(ConfigError, match=message):
        findings(tmp_path)


def test_every_code_has_a_table_entry() -> None:
    from service_boundaries.rules import CODES

    for code in SERVICE_CODES:
        assert CODES[code].rule
        assert CODES[code].fix
        assert CODES[code].example


# The example monorepo ---------------------------------------------------------------


def test_example_monorepo_passes() -> None:
    report = check_services(Workspace.discover(EXAMPLE))
    assert report.findings == ()
    assert report.compose == EXAMPLE / "compose.prod.yaml"
    assert [unit.name for unit in report.services] == ["billing", "notifier"]


def break_example(copy: Path) -> None:
    """Break each service check exactly once, spread over the two example services."""
    billing = copy / "services/billing"
    notifier = copy / "services/notifier"

    # BND302 and BND303: one stage, with a HEALTHCHECK.
    (billing / "Dockerfile").write_text(
        "FROM python:3.12-slim\nCOPY . .\nRUN pip install .\n"
        'HEALTHCHECK CMD curl -f http://localhost:8080/livez\nCMD ["billing"]\n'
    )

    # BND305: no /readyz route.
    health = billing / "src/billing/health.py"
    health.write_text(health.read_text().replace(', "/readyz": readyz', ""))

    # BND306: no SIGTERM handler.
    main = billing / "src/billing/main.py"
    main.write_text(main.read_text().replace("signal.signal(signal.SIGTERM, stop)", "del stop"))

    # BND309: no tests.
    shutil.rmtree(billing / "tests")

    # BND310: no build metadata.
    (billing / "pyproject.toml").unlink()

    # BND301: no Dockerfile.
    (notifier / "Dockerfile").unlink()

    # BND304: no /livez route.
    (notifier / "notifier/health.py").write_text('ROUTES = {"/readyz": lambda: (200, "ready")}\n')

    # BND307: no config module.
    (notifier / "notifier/config.py").unlink()

    # BND308: no entry point (the SIGTERM handler moves along with the code).
    (notifier / "notifier/main.py").rename(notifier / "notifier/service.py")

    # BND311: not in the compose file.
    compose = copy / "compose.prod.yaml"
    text = compose.read_text()
    compose.write_text(text[: text.index("  notifier:")])


def test_broken_example_gives_one_finding_per_break(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".import_linter_cache"))
    break_example(copy)
    report = check_services(Workspace.discover(copy))
    assert sorted((f.code, f.service) for f in report.findings) == [
        ("BND301", "notifier"),
        ("BND302", "billing"),
        ("BND303", "billing"),
        ("BND304", "notifier"),
        ("BND305", "billing"),
        ("BND306", "billing"),
        ("BND307", "notifier"),
        ("BND308", "notifier"),
        ("BND309", "billing"),
        ("BND310", "billing"),
        ("BND311", "notifier"),
    ]


def _lint_layout(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--contract", "layout", str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_contract_keeps_on_example() -> None:
    result = _lint_layout(REPOSITORY / "contracts" / "boundaries.ini", EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Every service has what it needs to ship on its own KEPT" in result.stdout


def test_contract_reports_each_break_once(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".import_linter_cache"))
    break_example(copy)
    result = _lint_layout(REPOSITORY / "contracts" / "boundaries.ini", copy)
    assert result.returncode == 1, result.stdout + result.stderr
    messages = [line.strip() for line in result.stdout.splitlines() if line.startswith("    BND3")]
    assert sorted(message.split()[0] for message in messages) == list(SERVICE_CODES)
    assert (
        "11 service layout problems: BND301 x1, BND302 x1, BND303 x1, BND304 x1, BND305 x1, "
        "BND306 x1, BND307 x1, BND308 x1, BND309 x1, BND310 x1, BND311 x1." in result.stdout
    )
    assert "-   services/billing/Dockerfile:4\n" in result.stdout
    assert (
        "    BND302 services/billing/Dockerfile of service 'billing' has 'HEALTHCHECK CMD curl "
        "-f http://localhost:8080/livez' in stage 1; probes belong to the orchestrator, not "
        "to the image" in result.stdout
    )


CONTRACT_ERRORS = [
    ("disable = BND399\n", "disable: 'BND399': unknown code"),
    ("disable = biling:BND301\n", "disable: no service named 'biling'"),
    ("compose = deploy/prod.yml\n", "compose: compose file 'deploy/prod.yml' not found"),
    ("root = nowhere\n", "nowhere' is not a folder"),
]


@pytest.mark.parametrize(("field", "message"), CONTRACT_ERRORS)
def test_contract_field_errors(tmp_path: Path, field: str, message: str) -> None:
    config = (REPOSITORY / "contracts" / "boundaries.ini").read_text()
    config = config.replace("type = layout\n", f"type = layout\n{field}")
    config_path = tmp_path / "layout.ini"
    config_path.write_text(config)
    result = _lint_layout(config_path, EXAMPLE)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_contract_fields_disable_and_compose(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".import_linter_cache"))
    break_example(copy)
    config = (REPOSITORY / "contracts" / "boundaries.ini").read_text()
    config = config.replace(
        "type = layout\n",
        textwrap.dedent(
            """\
            type = layout
            compose = none
            disable =
                BND302, BND303
                billing:BND305
                billing: BND306
                billing:BND309 billing:BND310
                notifier:*
            """
        ),
    )
    config_path = tmp_path / "layout.ini"
    config_path.write_text(config)
    result = _lint_layout(config_path, copy)
    assert result.returncode == 0, result.stdout + result.stderr

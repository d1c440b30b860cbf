"""A monorepo assembled from real third-party code, for tests that need code written
outside this project.

Pinned pure-Python wheels are downloaded from PyPI once, kept in a cache folder, and
unpacked into a fresh tree laid out as the app, packages and services. A few new files
then add imports that break known rules. Every other import is real code and must
produce no finding.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO_ROOT = Path(__file__).resolve().parents[1]

# Set to use another cache folder, for example one that CI keeps between runs.
CACHE_ENV = "SERVICE_BOUNDARIES_CACHE"

# pip gives up on its own when PyPI cannot be reached, so this limit only stops a download
# that hangs.
DOWNLOAD_TIMEOUT_SECONDS = 600


class RealInputUnavailable(RuntimeError):
    """The pinned wheels could not be downloaded or read."""


@dataclass(frozen=True)
class Distribution:
    """A pinned wheel and the folder, relative to the root, its top-level names go in."""

    name: str
    version: str
    destination: str

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"

    def is_wheel(self, path: Path) -> bool:
        """Whether a wheel file is this distribution, however its file name spells the
        name ('jaraco.text-…', 'MarkupSafe-…', 'charset_normalizer-…')."""
        name, _, rest = path.name.partition("-")
        version = rest.partition("-")[0]
        return normalized(name) == normalized(self.name) and version == self.version


def normalized(name: str) -> str:
    """Return a distribution name normalized the way PyPI compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


# Each unit contains one distribution. The destinations mix flat layouts
# (packages/<name>/<pkg>/), src layouts (packages/<name>/src/<pkg>/), single top-level
# module files (six.py, typing_extensions.py, bottle.py) and a namespace package (jaraco)
# that three units share. MarkupSafe is left out: it ships no pure-Python wheel, so flask
# and jinja2 import it as a third-party name.
DISTRIBUTIONS: tuple[Distribution, ...] = (
    # The app: typer builds on click, a package.
    Distribution("typer", "0.12.3", "src"),
    # Packages the web service uses.
    Distribution("click", "8.1.7", "packages/click"),
    Distribution("jinja2", "3.1.4", "packages/jinja2/src"),
    Distribution("werkzeug", "3.0.3", "packages/werkzeug/src"),
    Distribution("itsdangerous", "2.2.0", "packages/itsdangerous/src"),
    Distribution("blinker", "1.8.2", "packages/blinker"),
    # Packages the api service uses. Unit folders are named as on PyPI, hyphen included.
    Distribution("urllib3", "2.2.2", "packages/urllib3/src"),
    Distribution("idna", "3.7", "packages/idna"),
    Distribution("certifi", "2024.7.4", "packages/certifi"),
    Distribution("charset-normalizer", "3.3.2", "packages/charset-normalizer/src"),
    # Single-module packages, flat and src layout.
    Distribution("six", "1.16.0", "packages/six"),
    Distribution("typing-extensions", "4.12.2", "packages/typing-extensions/src"),
    # The jaraco namespace: jaraco.text imports the other two, and jaraco.functools
    # imports more-itertools.
    Distribution("jaraco.functools", "4.0.1", "packages/jaraco-functools"),
    Distribution("jaraco.context", "5.3.0", "packages/jaraco-context/src"),
    Distribution("jaraco.text", "3.12.1", "packages/jaraco-text"),
    Distribution("more-itertools", "10.3.0", "packages/more-itertools"),
    # Services: a src layout, a flat one and one that is a single module file.
    Distribution("flask", "3.0.3", "services/web/src"),
    Distribution("requests", "2.32.3", "services/api"),
    Distribution("bottle", "0.12.25", "services/pages"),
)


@dataclass(frozen=True)
class Injection:
    """A new file for the tree: ``code`` is the rule its import on ``line`` breaks, or None
    when all its imports are allowed."""

    path: str
    source: str
    line: int = 0
    code: str | None = None


INJECTIONS: tuple[Injection, ...] = (
    Injection(
        "services/web/src/flask/injected_bnd101.py",
        '"""The web service reuses the app\'s command line."""\nfrom typer import Typer\n',
        line=2,
        code="BND101",
    ),
    Injection(
        "services/api/requests/injected_bnd102.py",
        '"""The api service borrows the web service\'s framework."""\nfrom flask import Flask\n',
        line=2,
        code="BND102",
    ),
    Injection(
        "src/typer/injected_bnd103.py",
        '"""The app calls the api service in-process."""\nimport requests.sessions\n',
        line=2,
        code="BND103",
    ),
    # A single top-level module file as the importer.
    Injection(
        "packages/six/injected_bnd104.py",
        '"""A package reaches into the app."""\nimport typer.main\n',
        line=2,
        code="BND104",
    ),
    # A single-module service (bottle.py) as the imported unit.
    Injection(
        "packages/jinja2/src/jinja2/injected_bnd105.py",
        '"""A package borrows a service\'s template class."""\n'
        "from bottle import SimpleTemplate\n",
        line=2,
        code="BND105",
    ),
    # A module in a namespace folder that three units share as the importer.
    Injection(
        "packages/jaraco-context/src/jaraco/injected_bnd105.py",
        '"""A package reuses the api service\'s transport."""\n'
        "from requests.adapters import HTTPAdapter\n",
        line=2,
        code="BND105",
    ),
    # A script named like jaraco.text's own show-newlines.py, which is no valid module
    # name but runs with python -m.
    Injection(
        "packages/jaraco-text/jaraco/text/injected-bnd104.py",
        '"""A package script drives the app."""\nimport typer\n',
        line=2,
        code="BND104",
    ),
    # Both services own a top-level settings module, so the app's import names neither.
    Injection("services/web/src/settings.py", "DEBUG = False\n"),
    Injection("services/api/settings.py", "TIMEOUT = 10\n"),
    Injection(
        "src/typer/injected_bnd901.py",
        '"""The app reads a settings module that two services define."""\nimport settings\n',
        line=2,
        code="BND901",
    ),
    # Allowed: a service's own settings (its unit wins over the other owner), six.moves
    # (a name six.py makes at run time, found by its module file), and packages.
    Injection(
        "services/api/requests/injected_allowed.py",
        '"""Imports that cross no boundary."""\n'
        "import settings\n"
        "from six.moves.urllib.parse import urlparse\n"
        "import typing_extensions\n"
        "from charset_normalizer.api import from_bytes\n"
        "from jaraco.text import Stripper\n",
    ),
)

# Packages whose own code has a folder named packages/ or services/: urllib3 1.26 vendors
# six in urllib3/packages/, and google-cloud-webrisk keeps its clients in services/.
# The service is bottle, not requests, because the Google client imports requests.
NESTED_AREA_DISTRIBUTIONS: tuple[Distribution, ...] = (
    Distribution("urllib3", "1.26.19", "packages/urllib3/src"),
    Distribution("google-cloud-webrisk", "1.14.5", "packages/google-cloud-webrisk"),
    Distribution("bottle", "0.12.25", "services/pages"),
)

NESTED_AREA_INJECTIONS: tuple[Injection, ...] = (
    Injection(
        "packages/urllib3/src/urllib3/contrib/injected_bnd105.py",
        '"""A package reuses a service\'s request object."""\nfrom bottle import BaseRequest\n',
        line=2,
        code="BND105",
    ),
)

# Flask 3.0's flask/sansio/ has no __init__.py: an implicit namespace package inside a
# regular one, which Python imports but grimp does not scan.
NAMESPACE_SUBPACKAGE_DISTRIBUTIONS: tuple[Distribution, ...] = (
    Distribution("typer", "0.12.3", "src"),
    Distribution("flask", "3.0.3", "services/web/src"),
)

NAMESPACE_SUBPACKAGE_INJECTIONS: tuple[Injection, ...] = (
    Injection(
        "services/web/src/flask/sansio/injected_bnd101.py",
        '"""The web service reuses the app\'s command line."""\nfrom typer import Typer\n',
        line=2,
        code="BND101",
    ),
)

Finding = tuple[str, int, str]


def expected_findings(injections: tuple[Injection, ...]) -> set[Finding]:
    """Return (path relative to the root, line, code) for each injected violation."""
    return {
        (injection.path, injection.line, injection.code)
        for injection in injections
        if injection.code is not None
    }


def cache_folder() -> Path:
    """Return the folder that keeps downloaded wheels between runs."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return REPO_ROOT / ".cache" / "realinput"


def cached_wheel(folder: Path, distribution: Distribution) -> Path | None:
    """Return the distribution's wheel in a folder, or None when it is not there."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.whl")):
        if distribution.is_wheel(path):
            return path
    return None


def ensure_wheels(distributions: tuple[Distribution, ...]) -> dict[str, Path]:
    """Return each distribution's cached wheel, downloading only the missing ones."""
    folder = cache_folder()
    missing = [item for item in distributions if cached_wheel(folder, item) is None]
    # pip rejects two versions of one name in a call, so a second pin waits for the next.
    while missing:
        batch: dict[str, Distribution] = {}
        for item in missing:
            batch.setdefault(normalized(item.name), item)
        _download(list(batch.values()), folder)
        missing = [item for item in missing if item not in batch.values()]
    wheels: dict[str, Path] = {}
    for distribution in distributions:
        wheel = cached_wheel(folder, distribution)
        if wheel is None:
            raise RealInputUnavailable(
                f"pip reported success but no wheel for {distribution.spec} is in {folder}."
            )
        if not wheel.name.endswith("-none-any.whl"):
            raise RealInputUnavailable(
                f"{wheel} is not a pure-Python wheel. Delete it and run again."
            )
        wheels[distribution.name] = wheel
    return wheels


def _download(distributions: list[Distribution], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    specs = [item.spec for item in distributions]
    # Download next to the cache and move each finished wheel in, so that neither an
    # interrupted run nor a parallel one leaves or reads half a file.
    with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as partial:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            # Only pure-Python wheels: without these, pip prefers the compiled wheel
            # that charset-normalizer also publishes for this machine.
            "--platform=any",
            "--implementation=py",
            "--abi=none",
            f"--python-version={sys.version_info.major}.{sys.version_info.minor}",
            "--disable-pip-version-check",
            "--no-input",
            "-d",
            partial,
            *specs,
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=DOWNLOAD_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RealInputUnavailable(
                f"pip download of {' '.join(specs)} timed out after "
                f"{DOWNLOAD_TIMEOUT_SECONDS} s. Check the network connection to PyPI."
            ) from None
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip().splitlines()
            tail = "\n".join(output[-15:])
            raise RealInputUnavailable(
                f"the real-input tests need pinned wheels from PyPI and failed to download "
                f"them (pip exited with status {result.returncode}). Check the network, or "
                f"put the wheels in {folder} (set {CACHE_ENV} to use another folder).\n"
                f"command: {' '.join(command)}\n{tail}"
            )
        for wheel in Path(partial).glob("*.whl"):
            os.replace(wheel, folder / wheel.name)


def importable_top_level_names(archive: zipfile.ZipFile) -> set[str]:
    """Return the wheel's top-level package folders and module files, as stored names.

    Metadata (``*.dist-info``), install-time data (``*.data``) and anything that is not
    an importable name are left out.
    """
    names = set()
    for member in archive.namelist():
        head, _, rest = member.partition("/")
        if rest:
            if head.isidentifier():
                names.add(head)
        elif head.endswith(".py") and head[:-3].isidentifier():
            names.add(head)
    return names


def unpack(wheel: Path, destination: Path) -> list[str]:
    """Unpack a wheel's importable top-level names into a folder and return them."""
    destination.mkdir(parents=True, exist_ok=True)
    try:
        archive = zipfile.ZipFile(wheel)
    except zipfile.BadZipFile:
        raise RealInputUnavailable(
            f"{wheel} is not a valid wheel. Delete it and run again."
        ) from None
    with archive:
        top_level = importable_top_level_names(archive)
        if not top_level:
            raise RealInputUnavailable(f"{wheel} contains no importable package or module.")
        for member in archive.infolist():
            head = member.filename.partition("/")[0]
            if head not in top_level or member.is_dir():
                continue
            if ".." in PurePosixPath(member.filename).parts:
                raise RealInputUnavailable(f"{wheel} has an unsafe path {member.filename!r}.")
            target = destination / member.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy)
    return sorted(top_level)


def build_monorepo(
    root: Path,
    distributions: tuple[Distribution, ...] = DISTRIBUTIONS,
    injections: tuple[Injection, ...] = INJECTIONS,
) -> Path:
    """Unpack the distributions under root, add the injected files, and return root."""
    wheels = ensure_wheels(distributions)
    for distribution in distributions:
        unpack(wheels[distribution.name], root / distribution.destination)
    for injection in injections:
        path = root / injection.path
        if path.exists():
            raise FileExistsError(f"injected file {injection.path} would replace real code")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(injection.source)
    return root

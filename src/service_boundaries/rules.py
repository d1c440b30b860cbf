"""The rule tables and the verdict on one import; shared by every front end.

Each code lives in ``CODES`` with its summary, the rule sentence that ends its messages,
and a violating example with its fix, so the docs and the tests read from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .workspace import Kind, Resolution, Unit, Workspace


@dataclass(frozen=True)
class Code:
    """One error code: what it reports and how to fix it."""

    code: str
    summary: str
    rule: str
    example: str
    fix: str


CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "BND101",
            "a service imports the app",
            "services may import only packages",
            "# services/billing/src/billing/api.py\nfrom shop.catalog import Product",
            "Move the shared code into a package under packages/ and import it from there.",
        ),
        Code(
            "BND102",
            "a service imports another service",
            "services may import only packages",
            "# services/notifier/notifier/send.py\nfrom billing.core.invoice import Invoice",
            "Call the other service over its API, or move the shared code into a package.",
        ),
        Code(
            "BND103",
            "the app imports a service",
            "the app may import only packages",
            "# src/shop/checkout.py\nimport notifier.client",
            "Talk to the service over its API, or move the shared code into a package.",
        ),
        Code(
            "BND104",
            "a package imports the app",
            "packages may import only other packages",
            "# packages/money/money/format.py\nfrom shop import settings",
            "Pass what the package needs as an argument, or move that code into a package.",
        ),
        Code(
            "BND105",
            "a package imports a service",
            "packages may import only other packages",
            "# packages/textkit/src/textkit/render.py\nimport notifier.client",
            "Invert the dependency: the service imports the package, never the reverse.",
        ),
        Code(
            "BND201",
            "a core module imports outside core and ports",
            "core may import only core and ports",
            "# services/billing/src/billing/core/invoice.py\n"
            "from billing.adapters.postgres import PostgresInvoices",
            "Depend on a port (an abstract interface in ports/) and let main wire the adapter in.",
        ),
        Code(
            "BND202",
            "a ports module imports outside ports and core",
            "ports may import only ports and core",
            "# services/billing/src/billing/ports/invoices.py\n"
            "from billing.adapters.postgres import PostgresInvoices",
            "Keep ports abstract: move the concrete code into adapters/.",
        ),
        Code(
            "BND203",
            "an adapters module imports main or a module in no layer",
            "adapters may import only adapters, ports and core",
            "# services/billing/src/billing/adapters/postgres.py\n"
            "from billing.config import Settings",
            "Have main pass the value in (for example the settings object); do not import it.",
        ),
        Code(
            "BND901",
            "an imported name is ambiguous",
            "a name must resolve to exactly one unit",
            "# src/shop/jobs.py, with app/ in services/billing and services/notifier\n"
            "import app.client",
            "Rename one of the packages, or import a name that exists in only one unit.",
        ),
        Code(
            "BND902",
            "a relative import climbs out of its unit",
            "relative imports must stay inside their top-level package",
            "# services/notifier/notifier/send.py\nfrom ...packages.textkit import render",
            "Import the package by its absolute name, for example 'from textkit import render'.",
        ),
        # BND903-BND906 are about the workspace, not about one import: the engine records
        # them in Workspace.found_problems while it lists folders.
        Code(
            "BND903",
            "a folder or file of the workspace cannot be read",
            "every folder the check needs must be readable",
            "# packages/money/money cannot be listed (mode 000)\nfrom money import fmt",
            "Make the folder or file readable by the user running the check, or remove it.",
        ),
        Code(
            "BND904",
            "an area (services/ or packages/) is a file, not a folder",
            "services/ and packages/ must be folders",
            "# services is a file\n$ ls -l services\n-rw-r--r--  1 dev  dev  12 services",
            "Remove or rename the file, or name the real folder in the 'names' setting.",
        ),
        Code(
            "BND905",
            "a symbolic link points outside the workspace root",
            "the check reads nothing outside the workspace root",
            "# services/billing/src/billing/vendor -> /opt/vendor\nfrom billing.vendor import x",
            "Replace the link with a copy, or move its target inside the workspace root.",
        ),
        Code(
            "BND906",
            "a symbolic link points at a folder that contains it",
            "symbolic links must not form loops",
            "# services/billing/src/billing/again -> ..\nimport billing.again.again.api",
            "Remove the link, or point it at a folder that does not contain it.",
        ),
        Code(
            "BND301",
            "a service has no Dockerfile",
            "every service builds from its own Dockerfile",
            "# services/billing/ holds pyproject.toml and src/, but no Dockerfile",
            "Add services/billing/Dockerfile that builds and runs only this service.",
        ),
        Code(
            "BND302",
            "a service's Dockerfile has a HEALTHCHECK",
            "probes belong to the orchestrator, not to the image",
            "# services/billing/Dockerfile\n"
            "HEALTHCHECK CMD curl -f http://localhost:8080/livez || exit 1",
            "Delete the HEALTHCHECK and probe /livez and /readyz from the orchestrator; "
            "'HEALTHCHECK NONE' is allowed.",
        ),
        Code(
            "BND303",
            "a service's Dockerfile has a single stage",
            "service images are built in several stages",
            "# services/billing/Dockerfile\n"
            'FROM python:3.12-slim\nCOPY . .\nRUN pip install .\nCMD ["billing"]',
            "Build wheels in a first stage (FROM ... AS build) and copy only them into the "
            "final stage.",
        ),
        Code(
            "BND304",
            "a service has no /livez route",
            "every service serves /livez and /readyz",
            '# services/billing/src/billing/api.py\n@app.get("/health")\ndef health(): ...',
            "Serve GET /livez, answering 200 while the process can make progress.",
        ),
        Code(
            "BND305",
            "a service has no /readyz route",
            "every service serves /livez and /readyz",
            '# services/billing/src/billing/api.py\n@app.get("/livez")\ndef livez(): ...',
            "Serve GET /readyz, answering 503 until the service can take traffic.",
        ),
        Code(
            "BND306",
            "a service installs no SIGTERM handler",
            "every service handles SIGTERM",
            "# services/billing/src/billing/main.py\nserver.serve_forever()",
            "Install a handler, for example signal.signal(signal.SIGTERM, stop) or "
            "loop.add_signal_handler(signal.SIGTERM, stop), that drains work and exits.",
        ),
        Code(
            "BND307",
            "a service has no config module",
            "every service reads its environment in its own config module",
            '# services/billing/src/billing/api.py\nPORT = int(os.environ["PORT"])',
            "Move environment reading into billing/config.py, for example a "
            "pydantic-settings class, and pass the settings on from main.",
        ),
        Code(
            "BND308",
            "a service has no entry point",
            "every service starts from its own main.py or __main__.py",
            "# services/billing/src/billing/ holds api.py and config.py, but no main.py",
            "Add billing/main.py (or __main__.py) that reads the config, wires the "
            "service and serves it.",
        ),
        Code(
            "BND309",
            "a service has no tests",
            "every service has its own tests folder",
            "# services/billing/ holds src/ and pyproject.toml, but no tests/",
            "Add services/billing/tests/ with at least one test_*.py module.",
        ),
        Code(
            "BND310",
            "a service has no build metadata",
            "every service builds on its own",
            "# services/billing/pyproject.toml\n[tool.ruff]\nline-length = 99",
            "Give the service a pyproject.toml with a [project] table (or a setup.cfg "
            "with [metadata]) naming its own dependencies.",
        ),
        Code(
            "BND311",
            "a service is missing from the production compose file",
            "every service is listed in the production compose file",
            "# compose.yaml\nservices:\n  notifier:\n    build: ./services/notifier",
            "Add an entry that builds from services/billing or runs an image named billing.",
        ),
        Code(
            "BND106",
            "code outside a package imports one of its submodules (opt-in)",
            "outside a package, import only its top-level module",
            "# services/billing/src/billing/api.py\nfrom money.fmt import format_money",
            "Import what the package's __init__.py exports ('from money import "
            "format_money'), and export it there if it is missing.",
        ),
    )
}

# Importer kind -> imported kinds it may use, besides itself.
ALLOWED_KINDS: dict[Kind, frozenset[Kind]] = {
    Kind.SERVICE: frozenset({Kind.PACKAGE}),
    Kind.APP: frozenset({Kind.PACKAGE}),
    Kind.PACKAGE: frozenset({Kind.PACKAGE}),
}

BOUNDARY_CODES: dict[tuple[Kind, Kind], str] = {
    (Kind.SERVICE, Kind.APP): "BND101",
    (Kind.SERVICE, Kind.SERVICE): "BND102",
    (Kind.APP, Kind.SERVICE): "BND103",
    (Kind.PACKAGE, Kind.APP): "BND104",
    (Kind.PACKAGE, Kind.SERVICE): "BND105",
}

# Importer layer -> layers it may use inside its own service. 'main' and modules in no
# layer may import anything, so they have no entry.
ALLOWED_LAYERS: dict[str, frozenset[str]] = {
    "core": frozenset({"core", "ports"}),
    "ports": frozenset({"ports", "core"}),
    "adapters": frozenset({"adapters", "ports", "core"}),
}

LAYER_CODES = {"core": "BND201", "ports": "BND202", "adapters": "BND203"}


@dataclass(frozen=True)
class Violation:
    """A broken rule on one import, with the message both front ends print."""

    code: str
    message: str
    imported: str

    @property
    def text(self) -> str:
        """Return the flake8-style text: the code, then the message."""
        return f"{self.code} {self.message}"


def judge(
    workspace: Workspace,
    importer: Unit,
    importer_module: str,
    imported: str,
    *,
    public_api: bool = False,
) -> Violation | None:
    """Return the violation an absolute import makes, or None when it is allowed.

    With ``public_api``, an import of another package's submodule is BND106.
    """
    resolution = workspace.resolve(imported, importer)
    return judge_resolved(
        workspace, importer, importer_module, imported, resolution, public_api=public_api
    )


def judge_resolved(
    workspace: Workspace,
    importer: Unit,
    importer_module: str,
    imported: str,
    resolution: Resolution,
    *,
    public_api: bool = False,
) -> Violation | None:
    """Return the violation for an import whose unit is already resolved."""
    if resolution.depth:
        # Name the module, not the attribute: 'billing.core.invoice', not '….Invoice'.
        imported = ".".join(imported.split(".")[: resolution.depth])
    if resolution.ambiguous:
        units = " and ".join(unit.describe() for unit in resolution.ambiguous)
        return Violation(
            "BND901",
            f"{importer.describe()} imports {imported!r}, which exists in {units}; "
            f"{CODES['BND901'].rule}",
            imported,
        )
    target = resolution.unit
    if target is None:
        return None
    if target == importer:
        if resolution.by_path:
            return None
        return _judge_layers(workspace, importer, importer_module, imported)
    if target.kind in ALLOWED_KINDS[importer.kind]:
        if public_api and target.kind is Kind.PACKAGE and resolution.depth > 1:
            return _submodule_import(importer, target, imported)
        return None
    code = BOUNDARY_CODES[(importer.kind, target.kind)]
    return Violation(
        code,
        f"{importer.describe()} imports {imported!r} from {target.describe()}; {CODES[code].rule}",
        imported,
    )


def _submodule_import(importer: Unit, target: Unit, imported: str) -> Violation:
    top = imported.split(".")[0]
    return Violation(
        "BND106",
        f"{importer.describe()} imports {imported!r}, a submodule of {target.describe()}, "
        f"instead of what {top!r} exports; {CODES['BND106'].rule}",
        imported,
    )


def _judge_layers(
    workspace: Workspace, unit: Unit, importer_module: str, imported: str
) -> Violation | None:
    if not workspace.layering_active(unit):
        return None
    importer_layer = workspace.layer_of(unit, importer_module)
    allowed = ALLOWED_LAYERS.get(importer_layer or "")
    if allowed is None:
        return None
    imported_layer = workspace.layer_of(unit, imported)
    if imported_layer in allowed:
        return None
    code = LAYER_CODES[importer_layer or ""]
    where = f"layer {imported_layer!r}" if imported_layer else "no layer"
    return Violation(
        code,
        f"{importer_layer} module {importer_module!r} imports {imported!r} from {where} "
        f"of {unit.describe()}; {CODES[code].rule}",
        imported,
    )


def climbing_relative_import(importer: Unit, importer_module: str, written: str) -> Violation:
    """Return the violation for a relative import that reaches above its top-level package."""
    return Violation(
        "BND902",
        f"{importer.describe()} module {importer_module!r} has relative import {written!r}, "
        f"which climbs above its top-level package; {CODES['BND902'].rule}",
        written,
    )

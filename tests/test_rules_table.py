"""Every rule, as a table: a violating import and the nearest allowed one.

Each case writes one or two files into BASE_TREE and lists every finding expected over
the whole tree. Both front ends run on the same tree and must report exactly that list,
except the codes in FLAKE8_ONLY, which grimp cannot see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BASE_TREE, contract_findings, flake8_findings, write_tree

BILLING = "services/billing/src/billing"
NOTIFIER = "services/notifier/notifier"
TEXTKIT = "packages/textkit/src/textkit"

# grimp resolves relative imports itself and drops those that climb out of their
# top-level package, so only the flake8 plugin reports BND902.
FLAKE8_ONLY = {"BND902"}

CASES: list[tuple[str, dict[str, str], set[tuple[str, int, str]]]] = [
    # BND101: a service imports the app.
    (
        "bnd101",
        {f"{BILLING}/api.py": "from shop import views\n"},
        {(f"{BILLING}/api.py", 1, "BND101")},
    ),
    ("bnd101-allowed-package", {f"{BILLING}/api.py": "from money import fmt\n"}, set()),
    (
        "bnd101-path-style",
        {f"{BILLING}/api.py": "import src.shop.views\n"},
        {(f"{BILLING}/api.py", 1, "BND101")},
    ),
    # BND102: a service imports another service.
    (
        "bnd102",
        {f"{BILLING}/api.py": "import notifier.client\n"},
        {(f"{BILLING}/api.py", 1, "BND102")},
    ),
    ("bnd102-allowed-itself", {f"{BILLING}/api.py": "import billing.config\n"}, set()),
    (
        "bnd102-path-style",
        {f"{BILLING}/api.py": "from services.notifier.notifier import client\n"},
        {(f"{BILLING}/api.py", 1, "BND102")},
    ),
    (
        "bnd102-from-tests-folder",
        {
            "services/billing/tests/test_api.py": "import billing.api\nfrom notifier.client import send\n"
        },
        {("services/billing/tests/test_api.py", 2, "BND102")},
    ),
    (
        "bnd102-flat-service-imports-src-layout",
        {f"{NOTIFIER}/client.py": "from billing.core import model\n"},
        {(f"{NOTIFIER}/client.py", 1, "BND102")},
    ),
    # BND103: the app imports a service.
    (
        "bnd103",
        {"src/shop/views.py": "from notifier.client import send\n"},
        {("src/shop/views.py", 1, "BND103")},
    ),
    (
        "bnd103-allowed-package",
        {"src/shop/views.py": "from textkit.render import render\n"},
        set(),
    ),
    # BND104: a package imports the app.
    (
        "bnd104",
        {"packages/money/money/fmt.py": "from shop.views import x\n"},
        {("packages/money/money/fmt.py", 1, "BND104")},
    ),
    ("bnd104-allowed-package", {"packages/money/money/fmt.py": "import textkit.render\n"}, set()),
    # BND105: a package imports a service.
    (
        "bnd105",
        {f"{TEXTKIT}/render.py": "import billing.api\n"},
        {(f"{TEXTKIT}/render.py", 1, "BND105")},
    ),
    ("bnd105-allowed-package", {f"{TEXTKIT}/render.py": "from money import fmt\n"}, set()),
    # BND201: core imports outside core and ports.
    (
        "bnd201-adapters",
        {f"{BILLING}/core/model.py": "from billing.adapters import db\n"},
        {(f"{BILLING}/core/model.py", 1, "BND201")},
    ),
    (
        "bnd201-no-layer",
        {f"{BILLING}/core/model.py": "from billing import config\n"},
        {(f"{BILLING}/core/model.py", 1, "BND201")},
    ),
    (
        "bnd201-main",
        {f"{BILLING}/core/model.py": "import billing.main\n"},
        {(f"{BILLING}/core/model.py", 1, "BND201")},
    ),
    (
        "bnd201-allowed-ports",
        {f"{BILLING}/core/model.py": "from billing.ports import repo\n"},
        set(),
    ),
    (
        "bnd201-allowed-core",
        {f"{BILLING}/core/model.py": "from billing.core import rules\n"},
        set(),
    ),
    # BND202: ports imports outside ports and core.
    (
        "bnd202",
        {f"{BILLING}/ports/repo.py": "from billing.adapters.db import Db\n"},
        {(f"{BILLING}/ports/repo.py", 1, "BND202")},
    ),
    (
        "bnd202-allowed-core",
        {f"{BILLING}/ports/repo.py": "from billing.core.model import M\n"},
        set(),
    ),
    # BND203: adapters imports main or a module in no layer.
    (
        "bnd203-main",
        {f"{BILLING}/adapters/db.py": "from billing.main import run\n"},
        {(f"{BILLING}/adapters/db.py", 1, "BND203")},
    ),
    (
        "bnd203-config",
        {f"{BILLING}/adapters/db.py": "import billing.config\n"},
        {(f"{BILLING}/adapters/db.py", 1, "BND203")},
    ),
    (
        "bnd203-allowed-ports-core",
        {
            f"{BILLING}/adapters/db.py": "from billing.ports import repo\nfrom billing.core import model\n"
        },
        set(),
    ),
    (
        "main-imports-everything",
        {
            f"{BILLING}/main.py": "from billing import config\nfrom billing.adapters import db\nfrom billing.core import model\n"
        },
        set(),
    ),
    (
        "no-layer-module-imports-anything",
        {f"{BILLING}/api.py": "from billing.adapters import db\n"},
        set(),
    ),
    # Relative imports.
    (
        "relative-bnd201",
        {f"{BILLING}/core/model.py": "from ..adapters import db\nfrom . import rules\n"},
        {(f"{BILLING}/core/model.py", 1, "BND201")},
    ),
    (
        "relative-from-package-init",
        {f"{BILLING}/core/__init__.py": "from .model import M\nfrom ..adapters.db import Db\n"},
        {(f"{BILLING}/core/__init__.py", 2, "BND201")},
    ),
    (
        "relative-climbs-out",
        {f"{BILLING}/api.py": "from ...textkit import render\n"},
        {(f"{BILLING}/api.py", 1, "BND902")},
    ),
    # Where imports hide.
    (
        "import-inside-function",
        {f"{BILLING}/api.py": "def handler():\n    import notifier.client\n"},
        {(f"{BILLING}/api.py", 2, "BND102")},
    ),
    (
        "import-in-try-except",
        {f"{BILLING}/api.py": "try:\n    import notifier.client\nexcept ImportError:\n    pass\n"},
        {(f"{BILLING}/api.py", 2, "BND102")},
    ),
    (
        "import-under-type-checking",
        {
            f"{BILLING}/api.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from shop.views import V\n"
        },
        {(f"{BILLING}/api.py", 3, "BND101")},
    ),
    (
        "import-in-class-body",
        {f"{BILLING}/api.py": "class Api:\n    from shop import views\n"},
        {(f"{BILLING}/api.py", 2, "BND101")},
    ),
    # Outside the workspace: always allowed.
    (
        "stdlib-and-third-party",
        {
            f"{BILLING}/core/model.py": "import os\nimport json.decoder\nimport requests\nfrom pydantic import BaseModel\n"
        },
        set(),
    ),
    ("future-import", {f"{BILLING}/core/model.py": "from __future__ import annotations\n"}, set()),
    (
        "file-outside-every-unit",
        {"scripts/deploy.py": "import billing.api\nimport shop.views\n"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_flake8_reports_expected(tmp_path: Path, files: dict[str, str], expected: set) -> None:
    write_tree(tmp_path, {**BASE_TREE, **files})
    assert flake8_findings(tmp_path) == expected


@pytest.mark.parametrize(
    ("files", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_contracts_report_expected(tmp_path: Path, files: dict[str, str], expected: set) -> None:
    write_tree(tmp_path, {**BASE_TREE, **files})
    expected_by_contracts = {item for item in expected if item[2] not in FLAKE8_ONLY}
    assert contract_findings(tmp_path) == expected_by_contracts

"""Layouts beyond the base tree: layer activation, shared names, namespace packages,
configured folder names and the TYPE_CHECKING option, each run through both front ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import contract_findings, flake8_findings, write_tree
from service_boundaries.names import Names

LAYER_ACTIVATION = [
    # (folders present, importer, expected code or None)
    (
        "core-and-ports",
        ["core", "ports", "adapters"],
        "core/a.py",
        "from svc.adapters import b\n",
        "BND201",
    ),
    ("core-only", ["core", "adapters"], "core/a.py", "from svc.adapters import b\n", "BND201"),
    ("ports-only", ["ports", "adapters"], "ports/a.py", "from svc.adapters import b\n", "BND202"),
    (
        "adapters-only-inactive",
        ["adapters", "other"],
        "adapters/a.py",
        "from svc import main\n",
        None,
    ),
]


@pytest.mark.parametrize(
    ("folders", "importer", "source", "code"),
    [case[1:] for case in LAYER_ACTIVATION],
    ids=[case[0] for case in LAYER_ACTIVATION],
)
def test_layers_active_only_with_core_or_ports(
    tmp_path: Path, folders: list[str], importer: str, source: str, code: str | None
) -> None:
    base = "services/svc/svc"
    files = {f"{base}/__init__.py": "", f"{base}/main.py": "", "packages/p/p/__init__.py": ""}
    for folder in folders:
        files[f"{base}/{folder}/__init__.py"] = ""
        files[f"{base}/{folder}/b.py"] = ""
    files[f"{base}/{importer}"] = source
    write_tree(tmp_path, files)
    expected = {(f"{base}/{importer}", 1, code)} if code else set()
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


def test_layers_at_import_root_of_flat_service(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "services/api/core/__init__.py": "",
            "services/api/core/model.py": "from adapters import db\nimport config\n",
            "services/api/adapters/__init__.py": "",
            "services/api/adapters/db.py": "from core import model\n",
            "services/api/config.py": "",
            "services/api/main.py": "from adapters import db\nfrom core import model\n",
        },
    )
    expected = {
        ("services/api/core/model.py", 1, "BND201"),
        ("services/api/core/model.py", 2, "BND201"),
    }
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


TWO_APPS = {
    "services/api/app/__init__.py": "",
    "services/api/app/handlers.py": "from app import jobs_client\n",
    "services/api/app/jobs_client.py": "",
    "services/api/tests/test_handlers.py": "from app.handlers import x\n",
    "services/worker/app/__init__.py": "",
    "services/worker/app/jobs.py": "from app import tasks\nimport app.handlers\n",
    "services/worker/app/tasks.py": "",
    "services/worker/tests/test_jobs.py": "from app.jobs import x\n",
    "packages/common/common/__init__.py": "",
    "src/web/__init__.py": "",
    "src/web/views.py": "import app.tasks\nimport app\n",
}


def test_two_services_owning_app(tmp_path: Path) -> None:
    write_tree(tmp_path, TWO_APPS)
    expected = {
        # worker asks for app.handlers, which only api has: longest prefix wins.
        ("services/worker/app/jobs.py", 2, "BND102"),
        ("src/web/views.py", 1, "BND103"),
        # 'app' alone exists in both services.
        ("src/web/views.py", 2, "BND901"),
    }
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


NAMESPACE_SPLIT = {
    "packages/acme-common/acme/common/__init__.py": "",
    "packages/acme-common/acme/common/util.py": "from acme.orders import api\n",
    "packages/acme-money/src/acme/money/__init__.py": "from acme.common import util\n",
    "services/orders/src/acme/orders/__init__.py": "",
    "services/orders/src/acme/orders/api.py": "from acme.common.util import f\nfrom acme import money\n",
}


def test_namespace_package_split_over_units(tmp_path: Path) -> None:
    write_tree(tmp_path, NAMESPACE_SPLIT)
    expected = {("packages/acme-common/acme/common/util.py", 1, "BND105")}
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


def test_configured_folder_names(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "apps/shop/shop/__init__.py": "",
            "apps/shop/shop/domain/__init__.py": "",
            "apps/shop/shop/domain/order.py": "from shop.infrastructure import db\n",
            "apps/shop/shop/infrastructure/__init__.py": "",
            "apps/shop/shop/infrastructure/db.py": "",
            "apps/mail/mail/__init__.py": "import shop\n",
            "libs/util/util/__init__.py": "",
        },
    )
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nboundaries-names =\n    services = apps\n    packages = libs\n"
        "    core = domain\n    adapters = infrastructure\n"
    )
    names = Names(
        services=("apps",), packages=("libs",), core=("domain",), adapters=("infrastructure",)
    )
    expected = {
        ("apps/shop/shop/domain/order.py", 1, "BND201"),
        ("apps/mail/mail/__init__.py", 1, "BND102"),
    }
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path, names=names) == expected


TYPE_CHECKING_TREE = {
    "services/a/a/__init__.py": (
        "import typing\n"
        "if typing.TYPE_CHECKING:\n"
        "    from b import thing\n"
        "else:\n"
        "    import shop\n"
    ),
    "services/b/b/__init__.py": "",
    "src/shop/__init__.py": "",
}


def test_type_checking_imports_count_by_default(tmp_path: Path) -> None:
    write_tree(tmp_path, TYPE_CHECKING_TREE)
    expected = {
        ("services/a/a/__init__.py", 3, "BND102"),
        ("services/a/a/__init__.py", 5, "BND101"),
    }
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


def test_type_checking_imports_excluded_by_option(tmp_path: Path) -> None:
    write_tree(tmp_path, TYPE_CHECKING_TREE)
    expected = {("services/a/a/__init__.py", 5, "BND101")}
    assert flake8_findings(tmp_path, ["--boundaries-exclude-type-checking"]) == expected
    assert contract_findings(tmp_path, exclude_type_checking=True) == expected


def test_tree_without_areas_reports_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/shop/__init__.py": "import billing\n", "lib/x.py": "import shop\n"})
    assert flake8_findings(tmp_path) == set()


def test_nested_area_folder_inside_unit(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "services/billing/billing/__init__.py": "",
            "services/billing/billing/services/__init__.py": "",
            "services/billing/billing/services/tax.py": "from ...shop import x\n",
            "services/billing/billing/api.py": "import shop.views\n",
            "services/packages/parcels/__init__.py": "import shop\n",
            "src/shop/__init__.py": "",
            "src/shop/views.py": "",
        },
    )
    expected = {
        ("services/billing/billing/api.py", 1, "BND101"),
        ("services/billing/billing/services/tax.py", 1, "BND902"),
        ("services/packages/parcels/__init__.py", 1, "BND101"),
    }
    assert flake8_findings(tmp_path) == expected


def test_folder_without_init_inside_package(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "packages/textkit/textkit/__init__.py": "",
            "packages/textkit/textkit/scripts/run.py": "import billing.api\n",
            "packages/textkit/textkit/scripts/deep/more.py": "import billing\n",
            "services/billing/billing/__init__.py": "",
            "services/billing/billing/api.py": "",
        },
    )
    expected = {
        ("packages/textkit/textkit/scripts/run.py", 1, "BND105"),
        ("packages/textkit/textkit/scripts/deep/more.py", 1, "BND105"),
    }
    assert flake8_findings(tmp_path) == expected
    assert contract_findings(tmp_path) == expected


def test_folder_without_python_is_no_rival(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "services/web/src/utils/button.js": "",
            "services/web/src/web/__init__.py": "",
            "packages/utils/utils/__init__.py": "",
            "src/shop/__init__.py": "import utils\nimport utils.helpers\n",
        },
    )
    assert flake8_findings(tmp_path) == set()
    assert contract_findings(tmp_path) == set()

"""``service-boundaries graph``: DOT and Mermaid output, and rendering with Graphviz."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_cli import copy_example, run

DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz 'dot' is not installed")


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example monorepo, made the current folder."""
    root = copy_example(tmp_path / "monorepo")
    monkeypatch.chdir(root)
    return root


def test_dot_has_units_and_red_violations(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "graph")
    assert status == 0
    assert out.startswith("digraph boundaries {\n")
    for node in ("app_app", "package_money", "package_textkit", "service_billing"):
        assert f"  {node} [label=" in out
    assert 'service_billing -> package_money [label="2 imports"];' in out
    assert (
        'service_notifier -> service_billing [label="1 import, BND102 x1", color="#d62728"' in out
    )
    red_edges = [line for line in out.splitlines() if "->" in line and "#d62728" in line]
    assert len(red_edges) == 5


def test_dot_layers_of_one_service(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "graph", "--layers", "--service", "billing")
    assert status == 0
    assert "subgraph cluster_service_billing {" in out
    assert 'billing_core -> billing_adapters [label="1 import, BND201 x1"' in out
    assert 'billing_adapters -> billing_no_layer [label="1 import, BND203 x1"' in out
    assert 'billing_core -> billing_ports [label="1 import"];' in out
    red_edges = [line for line in out.splitlines() if "->" in line and "#d62728" in line]
    assert len(red_edges) == 3


def test_mermaid_styles_violations(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "graph", "--format", "mermaid")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  service_billing["billing (service)"]' in lines
    edges = [line for line in lines if "-->" in line]
    broken = [str(index) for index, line in enumerate(edges) if "BND" in line]
    assert len(broken) == 5
    assert f"  linkStyle {','.join(broken)} stroke:#d62728,stroke-width:3px,color:#d62728" in lines


def test_layers_unknown_service(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "graph", "--layers", "--service", "notifier")
    assert status == 2
    assert "option --service: notifier is not a service with layering active" in err
    assert "those are: billing" in err


def test_service_needs_layers(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "graph", "--service", "billing")
    assert status == 2
    assert "--service works only with --layers" in err


def test_text_output_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "graph", "--format", "mermaid", "-o", "graph.mmd")
    assert status == 0
    assert out == ""
    assert "wrote graph.mmd" in err
    assert (example / "graph.mmd").read_text().startswith("flowchart LR\n")


def test_missing_dot_gives_install_hint(
    example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(example))
    status, _, err = run(capsys, "graph", "-o", "graph.png")
    assert status == 2
    assert "Graphviz's 'dot' program was not found on PATH" in err
    assert "apt-get install graphviz" in err
    assert not (example / "graph.png").exists()


def test_mermaid_cannot_be_rendered(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "graph", "--format", "mermaid", "-o", "graph.svg")
    assert status == 2
    assert "reads DOT" in err


@needs_dot
def test_dot_output_renders_with_graphviz(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in ([], ["--layers"]):
        _, out, _ = run(capsys, "graph", *args)
        completed = subprocess.run(
            [str(DOT), "-Tsvg"], input=out, capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, completed.stderr
        assert "<svg" in completed.stdout
        assert "BND" in completed.stdout


@needs_dot
def test_png_and_svg_rendered(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(capsys, "graph", "-o", "units.png")
    assert status == 0
    assert (example / "units.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    status, _, _ = run(capsys, "graph", "--layers", "-o", "layers.svg")
    assert status == 0
    assert "<svg" in (example / "layers.svg").read_text()


def test_layers_without_layered_service(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(example / "services/billing")
    status, out, err = run(capsys, "graph", "--layers")
    assert status == 0
    assert "no service has layering active" in err
    assert out.startswith("digraph boundaries {")

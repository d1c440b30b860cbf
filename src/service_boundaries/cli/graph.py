"""Draw the import graph between units, or between the layers inside services.

Each edge is labelled with the number of imports behind it; edges with imports that break
a rule are red and name the codes. Output is Graphviz DOT (the default) or a Mermaid
flowchart. An --output file ending in .png, .svg or .pdf is rendered with Graphviz's
'dot' program, which must be on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..workspace import Kind, Unit
from . import EXIT_OK
from ._scan import NO_LAYER, ProgressReporter, ScanResult, find_python_files, scan
from ._workspace import Context, add_workspace_arguments, load_context

HELP = "draw the dependency graph between units or layers as DOT or Mermaid"

RENDERED_SUFFIXES = (".png", ".svg", ".pdf")
KIND_COLOURS = {Kind.APP: "#cfe2ff", Kind.PACKAGE: "#d1e7dd", Kind.SERVICE: "#fff3cd"}
LAYER_ORDER = ("main", "adapters", "ports", "core", NO_LAYER)
VIOLATION_COLOUR = "#d62728"
INSTALL_HINT = (
    "Graphviz's 'dot' program was not found on PATH. Install Graphviz (for example "
    "'apt-get install graphviz' or 'brew install graphviz'; see https://graphviz.org/download/), "
    "or write the graph as text with --output graph.dot (or --format mermaid) and render "
    "it elsewhere."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register --format, --output, --layers and the workspace options."""
    parser.add_argument(
        "--format",
        choices=("dot", "mermaid"),
        default="dot",
        help="text format of the graph (default: dot)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write to FILE instead of stdout; a name ending in .png, .svg or .pdf is "
        "rendered with Graphviz's dot",
    )
    parser.add_argument(
        "--layers",
        action="store_true",
        help="draw the layers inside each service that has layering active, instead of the units",
    )
    parser.add_argument(
        "--service",
        metavar="NAME",
        action="append",
        default=[],
        help="with --layers, draw only this service (repeat for several)",
    )
    add_workspace_arguments(parser)


@dataclass(frozen=True)
class Node:
    """A box in the drawing."""

    id: str
    label: str
    fill: str


@dataclass(frozen=True)
class Edge:
    """An arrow between two nodes, with its import count and the codes it breaks."""

    source: str
    target: str
    count: int
    codes: Counter[str]

    @property
    def label(self) -> str:
        """The edge label: the import count, then each broken code with its count."""
        noun = "import" if self.count == 1 else "imports"
        parts = [f"{self.count} {noun}"]
        parts.extend(f"{code} x{number}" for code, number in sorted(self.codes.items()))
        return ", ".join(parts)


@dataclass(frozen=True)
class Cluster:
    """A group of nodes drawn in one box, such as the layers of one service."""

    id: str
    label: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Graph:
    """Nodes, clusters of nodes and edges, ready to be written in any format."""

    nodes: tuple[Node, ...]
    clusters: tuple[Cluster, ...]
    edges: tuple[Edge, ...]


def run(args: argparse.Namespace) -> int:
    """Scan the workspace, build the graph and write or render it."""
    if args.service and not args.layers:
        raise ConfigError("option --service works only with --layers.")
    output: Path | None = args.output
    render = output is not None and output.suffix.lower() in RENDERED_SUFFIXES
    if render and args.format != "dot":
        raise ConfigError(
            f"{output} would be rendered by Graphviz, which reads DOT; drop --format "
            "mermaid, or write a .mmd file."
        )
    dot_program = shutil.which("dot") if render else None
    if render and dot_program is None:
        raise ConfigError(INSTALL_HINT)

    context = load_context(args)
    files = find_python_files(context.workspace)
    result = scan(
        context.workspace,
        files,
        exclude_type_checking=context.exclude_type_checking,
        public_api=context.public_api,
        edges=True,
        progress=ProgressReporter(sys.stderr),
    )
    for error in result.errors:
        print(
            f"service-boundaries: {context.relative(error.path)}: {error.message}; its imports "
            "are not in the graph.",
            file=sys.stderr,
        )
    if args.layers:
        graph = layer_graph(context, result, args.service)
        if not graph.clusters:
            print(
                "service-boundaries: no service has layering active (a core/ or ports/ "
                "folder), so the graph is empty.",
                file=sys.stderr,
            )
    else:
        graph = unit_graph(context, result)
    text = to_dot(graph) if args.format == "dot" else to_mermaid(graph)
    if output is None:
        sys.stdout.write(text)
    elif render:
        assert dot_program is not None and output is not None
        render_with_dot(dot_program, text, output)
        print(f"service-boundaries: wrote {output}", file=sys.stderr)
    else:
        _write(output, text)
        print(f"service-boundaries: wrote {output}", file=sys.stderr)
    return EXIT_OK


def unit_graph(context: Context, result: ScanResult) -> Graph:
    """Return one node per unit and one edge per pair of units with imports between them."""
    nodes = tuple(_unit_node(unit) for unit in context.workspace.units)
    edges = []
    for key in sorted(result.unit_edges, key=_unit_key):
        source, target = key
        codes = result.unit_edge_codes.get(key, Counter())
        edges.append(Edge(_unit_id(source), _unit_id(target), result.unit_edges[key], codes))
    return Graph(nodes, (), tuple(edges))


def layer_graph(context: Context, result: ScanResult, only: Iterable[str] = ()) -> Graph:
    """Return one cluster per layered service, with its layers and the imports between them.

    Imports inside one layer are always allowed and are left out.
    """
    workspace = context.workspace
    wanted = set(only)
    services = [
        unit
        for unit in workspace.units
        if unit.kind is Kind.SERVICE and workspace.layering_active(unit)
    ]
    unknown = wanted - {unit.name for unit in services}
    if unknown:
        available = ", ".join(unit.name for unit in services) or "none"
        raise ConfigError(
            f"option --service: {', '.join(sorted(unknown))} is not a service with layering "
            f"active; those are: {available}."
        )
    if wanted:
        services = [unit for unit in services if unit.name in wanted]
    clusters = []
    edges = []
    for unit in services:
        used = {
            layer
            for (owner, source, target) in result.layer_edges
            if owner == unit
            for layer in (source, target)
        }
        layers = [layer for layer in LAYER_ORDER if layer in used]
        nodes = tuple(
            Node(_layer_id(unit, layer), layer, KIND_COLOURS[Kind.SERVICE]) for layer in layers
        )
        clusters.append(Cluster(_unit_id(unit), unit.describe(), nodes))
        for (owner, source, target), count in sorted(
            result.layer_edges.items(), key=lambda item: item[0][1:]
        ):
            if owner != unit or source == target:
                continue
            codes = result.layer_edge_codes.get((owner, source, target), Counter())
            edges.append(Edge(_layer_id(unit, source), _layer_id(unit, target), count, codes))
    return Graph((), tuple(clusters), tuple(edges))


def _unit_node(unit: Unit) -> Node:
    label = "the app" if unit.kind is Kind.APP else f"{unit.name}\\n({unit.kind.value})"
    return Node(_unit_id(unit), label, KIND_COLOURS[unit.kind])


def _unit_id(unit: Unit) -> str:
    return _identifier(f"{unit.kind.value}_{unit.name}")


def _unit_key(key: tuple[Unit, Unit]) -> tuple[str, str]:
    return (_unit_id(key[0]), _unit_id(key[1]))


def _layer_id(unit: Unit, layer: str) -> str:
    return _identifier(f"{unit.name}_{layer.strip('()').replace(' ', '_')}")


def _identifier(text: str) -> str:
    return "".join(character if character.isalnum() else "_" for character in text)


def to_dot(graph: Graph) -> str:
    """Return the graph in Graphviz DOT."""
    lines = [
        "digraph boundaries {",
        "  rankdir=LR;",
        '  fontname="Helvetica";',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in graph.nodes:
        lines.append(f"  {_dot_node(node)}")
    for cluster in graph.clusters:
        lines.append(f"  subgraph cluster_{cluster.id} {{")
        lines.append(f"    label={_dot_string(cluster.label)};")
        for node in cluster.nodes:
            lines.append(f"    {_dot_node(node)}")
        lines.append("  }")
    for edge in graph.edges:
        attributes = [f"label={_dot_string(edge.label)}"]
        if edge.codes:
            attributes += [f'color="{VIOLATION_COLOUR}"', f'fontcolor="{VIOLATION_COLOUR}"']
            attributes.append("penwidth=2")
        lines.append(f"  {edge.source} -> {edge.target} [{', '.join(attributes)}];")
    lines.append("}")
    return "".join(f"{line}\n" for line in lines)


def _dot_node(node: Node) -> str:
    return f'{node.id} [label={_dot_string(node.label)}, fillcolor="{node.fill}"];'


def _dot_string(text: str) -> str:
    # Labels keep '\n' as DOT's line break; only quotes need escaping.
    return '"' + text.replace('"', '\\"') + '"'


def to_mermaid(graph: Graph) -> str:
    """Return the graph as a Mermaid flowchart; broken edges are styled red."""
    lines = ["flowchart LR"]
    for node in graph.nodes:
        lines.append(f"  {_mermaid_node(node)}")
    for cluster in graph.clusters:
        lines.append(f'  subgraph {cluster.id} ["{_mermaid_text(cluster.label)}"]')
        for node in cluster.nodes:
            lines.append(f"    {_mermaid_node(node)}")
        lines.append("  end")
    broken = []
    for index, edge in enumerate(graph.edges):
        lines.append(f'  {edge.source} -->|"{_mermaid_text(edge.label)}"| {edge.target}')
        if edge.codes:
            broken.append(str(index))
    if broken:
        lines.append(
            f"  linkStyle {','.join(broken)} stroke:{VIOLATION_COLOUR},stroke-width:3px,"
            f"color:{VIOLATION_COLOUR}"
        )
    for node in (*graph.nodes, *(node for cluster in graph.clusters for node in cluster.nodes)):
        lines.append(f"  style {node.id} fill:{node.fill}")
    return "".join(f"{line}\n" for line in lines)


def _mermaid_node(node: Node) -> str:
    label = _mermaid_text(node.label.replace("\\n", " "))
    return f'{node.id}["{label}"]'


def _mermaid_text(text: str) -> str:
    # Mermaid ends a quoted label at '"'; its entity code keeps the character.
    return text.replace('"', "#quot;")


def render_with_dot(dot_program: str, text: str, output: Path) -> None:
    """Render DOT text to ``output`` in the format its suffix names."""
    file_format = output.suffix.lower().lstrip(".")
    try:
        completed = subprocess.run(
            [dot_program, f"-T{file_format}", "-o", str(output)],
            input=text.encode(),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ConfigError(f"Graphviz's dot failed to render {output}: {error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise ConfigError(f"Graphviz's dot failed to render {output}: {message}")


def _write(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}") from None

"""Import extraction from a parsed module, and relative-import resolution.

Only statements are visited: an import is always a statement, so expressions, which make
up most of a syntax tree, are skipped. That keeps the flake8 plugin cheap.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportedName:
    """One name an import statement brings in.

    ``name`` is the dotted name as written after the dots; ``level`` is the number of
    leading dots (0 for an absolute import). ``from a import b`` yields ``a.b``: ``b`` may
    be a submodule or an attribute, and resolution by longest existing prefix settles it.
    """

    name: str
    level: int
    line: int
    column: int
    type_checking: bool

    @property
    def written(self) -> str:
        """Return the name as the source spells it, dots included."""
        return "." * self.level + self.name


def extract_imports(tree: ast.AST, exclude_type_checking: bool = False) -> Iterator[ImportedName]:
    """Yield every imported name in a module, including those in functions and branches."""
    body = getattr(tree, "body", [])
    stack: list[tuple[list[ast.stmt], bool]] = [(body, False)]
    while stack:
        statements, type_checking = stack.pop()
        for node in statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield ImportedName(alias.name, 0, node.lineno, node.col_offset, type_checking)
            elif isinstance(node, ast.ImportFrom):
                yield from _from_import_names(node, type_checking)
            elif isinstance(node, ast.If) and _is_type_checking_test(node.test):
                if not exclude_type_checking:
                    stack.append((node.body, True))
                stack.append((node.orelse, type_checking))
            else:
                _push_bodies(node, stack, type_checking)


def _from_import_names(node: ast.ImportFrom, type_checking: bool) -> Iterator[ImportedName]:
    module = node.module or ""
    level = node.level or 0
    if module == "__future__":
        return
    for alias in node.names:
        if alias.name == "*":
            name = module
        elif module:
            name = f"{module}.{alias.name}"
        else:
            name = alias.name
        yield ImportedName(name, level, node.lineno, node.col_offset, type_checking)


def _push_bodies(
    node: ast.stmt, stack: list[tuple[list[ast.stmt], bool]], type_checking: bool
) -> None:
    for field_name in ("body", "orelse", "finalbody"):
        child = getattr(node, field_name, None)
        if isinstance(child, list) and child:
            stack.append((child, type_checking))
    for handler in getattr(node, "handlers", ()):
        stack.append((handler.body, type_checking))
    for case in getattr(node, "cases", ()):
        stack.append((case.body, type_checking))


def _is_type_checking_test(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def absolute_name(imported: ImportedName, module: str, is_package: bool) -> str | None:
    """Return the absolute name of an import made in ``module``, or None when a relative
    import climbs above the top-level package."""
    if imported.level == 0:
        return imported.name
    package = module.split(".") if is_package else module.split(".")[:-1]
    if imported.level > len(package):
        return None
    base = package[: len(package) - imported.level + 1]
    if imported.name:
        return ".".join([*base, imported.name])
    return ".".join(base)

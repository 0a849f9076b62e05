"""The shape of the package that docs/arkitektur.md describes: no import circle, each shared list defined in one
module, and `build()` short enough to read in one go."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from conftest import REPO

from medborgarlofte.build import pipeline

PACKAGE = REPO / "medborgarlofte"
# Lists and addresses that more than one stage uses: each is assigned at the top of exactly one module.
DEFINED_ONCE = (
    "RESERVED_SLUGS",
    "EVERY_KOMMUN",
    "TOP_OUTPUTS",
    "DATA_DIR",
    "OVERVIEW_PATH",
    "FINDER_FILE",
    "BUNDLE_DIR",
    "STATIC_DIR",
    "GENERATED_FORMATS",
    "STATUSES",
    "NAMED_RESPONSIBILITIES",
    "PROMISE_STATES",
    "SIGNALS",
)


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name below `medborgarlofte` (a package by its folder's name)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name:
            modules[name] = path
    return modules


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `name` imports, also only for type checking: a circle there is a circle still."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        elif (node.module or "").split(".")[0] == "medborgarlofte":
            base = ""
        else:
            continue
        module = (node.module or "").removeprefix("medborgarlofte").lstrip(".") if not node.level else node.module
        target = ".".join(filter(None, (base, module)))
        submodules = [".".join(filter(None, (target, alias.name))) for alias in node.names]
        candidates = submodules if node.module is None else [target, *submodules]
        found |= {c for c in candidates if c in modules and c != name}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """An import circle of the graph (its modules in order, the first again at the end), or None."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        for imported in sorted(graph[name]):
            if found := visit(imported, [*path, name]):
                return found
        done.add(name)
        return None

    return next((found for name in sorted(graph) if (found := visit(name, []))), None)


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = import_graph()
    assert len(graph) > 20 and {"content.model", "search.index"} <= graph["build.pipeline"], "the graph was not read"
    assert circle(graph) is None


def test_the_check_finds_a_circle() -> None:
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}) == ["a", "b", "c", "a"]
    assert circle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_each_shared_list_is_defined_in_one_module() -> None:
    defined: dict[str, list[str]] = {name: [] for name in DEFINED_ONCE}
    for module, path in _modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in defined:
                    defined[target.id].append(module)
    assert {name: modules for name, modules in defined.items() if len(modules) != 1} == {}


def private_names_imported(folder: Path) -> list[str]:
    """The names starting with `_` that the modules in `folder` import from another module of the package: a helper
    another module needs is a public name of its own module."""
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("medborgarlofte")):
                found += [f"{path.relative_to(PACKAGE)}: {a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_authoring_tools_import_no_private_helper() -> None:
    """The importer uses scaffold's helpers (quoted, kommun_name, kommun_data) by their public names."""
    assert private_names_imported(PACKAGE / "authoring") == []


def test_the_folders_are_the_stages() -> None:
    """Each stage is a package of its own with a docstring that says what it holds; only the command line and the
    Swedish wordings stand beside them."""
    stages = {"content", "outputs", "search", "build", "preview", "authoring"}
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == stages
    for stage in stages:
        assert ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert {p.name for p in PACKAGE.glob("*.py")} == {"__init__.py", "cli.py", "swedish.py"}


def test_build_reads_in_one_screen() -> None:
    lines = inspect.getsource(pipeline.build).splitlines()
    assert len(lines) <= 40, f"build() is {len(lines)} lines"

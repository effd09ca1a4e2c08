"""The import rules of the tree, read from the source: shared/ has three layers (contracts, platform,
ai) with no cycle, the contracts stand alone, and no service imports another."""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what the contracts may import besides themselves: the standard library and pydantic
CONTRACT_LIBRARIES = {"pydantic", "pydantic_core", "typing_extensions"}
# which layers of shared/ each layer may import
LAYERS = {"contracts": {"contracts"}, "platform": {"contracts", "platform"}, "ai": {"contracts", "platform", "ai"}}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path) for folder in ("shared", "services") for path in (ROOT / folder).rglob("*.py")}


def imports(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function: `from shared.platform import dlq`
    imports shared.platform.dlq, `from shared.contracts.events import Event` imports shared.contracts.events."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & MODULES
            found |= submodules or {node.module or ""}
    return found


def sources(folder: str) -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in sorted((ROOT / folder).rglob("*.py"))}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "shared" and len(parts) > 1 and parts[1] in LAYERS else None


def test_shared_has_three_layers_and_each_imports_only_those_below_it():
    wrong = []
    for module, imported in sources("shared").items():
        own = layer(module)
        if own is None:
            assert module == "shared", f"{module} is outside the three layers"
            continue
        wrong += [(module, name) for name in imported if layer(name) and layer(name) not in LAYERS[own]]
        wrong += [(module, name) for name in imported if name.startswith("services")]
    assert not wrong


def test_the_contracts_import_only_the_standard_library_pydantic_and_each_other():
    wrong = []
    for module, imported in sources("shared/contracts").items():
        for name in imported:
            top = name.split(".")[0]
            if top == "shared":
                if layer(name) != "contracts" and name != "shared":
                    wrong.append((module, name))
            elif top not in sys.stdlib_module_names and top not in CONTRACT_LIBRARIES:
                wrong.append((module, name))
    assert not wrong, "contracts must not reach the broker, HTTP or a database"


def test_no_service_imports_another():
    wrong = []
    for module, imported in sources("services").items():
        if module == "services":
            continue
        service = module.split(".")[1]
        wrong += [(module, n) for n in imported if n.startswith("services.") and n.split(".")[1] != service]
    assert not wrong


def test_shared_has_no_import_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    modules = sources("shared")
    for module, imported in modules.items():
        graph[module] = {name for name in imported if name in modules and name != module}
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for name in sorted(graph[module]):
            if state.get(name) == "open":
                cycles.append(path[path.index(name) :] + [name])
            elif name not in state:
                visit(name, [*path, name])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


def test_no_event_name_is_written_as_a_string_outside_the_contracts():
    """Code names event classes (isinstance, match, handler tables), never their type names as text."""
    from shared.contracts.events import EVENT_TYPE_NAMES

    found = []
    for folder in ("shared", "services", "tools", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "shared/contracts/events.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value in EVENT_TYPE_NAMES:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert not found

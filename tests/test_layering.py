"""The core never imports discord; only bot/discord_app/ does."""

import ast
import functools
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def test_only_discord_app_imports_discord():
    offenders = []
    for path in BOT.rglob("*.py"):
        if "discord_app" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "discord" or n.startswith("discord.") for n in names):
                offenders.append(str(path.relative_to(BOT)))
    assert offenders == []


def test_importing_the_core_does_not_load_discord():
    import subprocess
    import sys

    code = ("import sys, bot.service, bot.cli, bot.answer, bot.summarize; "
            "print('discord' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=BOT.parent)
    assert out.stdout.strip() == "False"


# -- the import graph: every import, also those inside functions; not those under
# `if TYPE_CHECKING:` (annotations only, never run)
FRONT_ENDS = ("bot.cli", "bot.discord_app")


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _graph() -> dict[str, set[str]]:
    """bot module -> the bot modules it imports (`from bot.x import y` names bot.x.y when
    that is a module, else bot.x)."""
    modules = {_module(p): p for p in BOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = graph.setdefault(name, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and getattr(block.test, "id", "") == "TYPE_CHECKING"
                       for n in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            else:
                continue
            edges.update(t for t in targets if t in modules and t != name)
    return graph


def _imports(graph: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    return {m: deps for m, deps in graph.items() if m == prefix or m.startswith(prefix + ".")}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph, or []."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        if node in stack:
            return [*stack[stack.index(node):], node]
        if node in done:
            return []
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            found = visit(dep)
            if found:
                return found
        stack.pop()
        done.add(node)
        return []

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return []


def _packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between bot's top-level modules and packages (bot.sources.web and
    bot.sources.files are both bot.sources)."""
    def top(name: str) -> str:
        return ".".join(name.split(".")[:2])

    tops: dict[str, set[str]] = {}
    for module, deps in graph.items():
        tops.setdefault(top(module), set()).update(top(d) for d in deps)
    return {name: deps - {name} for name, deps in tops.items()}


def test_no_import_cycle_among_bot_modules_or_packages():
    graph = _graph()
    assert _cycle(graph) == []
    # A package that imports a module which imports the package back is a cycle too (the
    # service importing sources.files while sources.web imported the service).
    assert _cycle(_packages(graph)) == []
    assert graph["bot.ingest"] and _packages(graph)["bot.store"]  # the graphs were read


def test_front_ends_never_import_the_store():
    graph = _graph()
    offenders = {m: sorted(d for d in deps if d == "bot.store" or d.startswith("bot.store."))
                 for front in FRONT_ENDS for m, deps in _imports(graph, front).items()}
    assert {m: d for m, d in offenders.items() if d} == {}
    assert "bot.store" in graph["bot.__main__"]  # the composition root opens it


def test_front_ends_never_reach_a_store_through_the_service():
    """No `service.store`/`service.stores` in a front-end: everything through the Service."""
    offenders = []
    for path in BOT.rglob("*.py"):
        if not _module(path).startswith(FRONT_ENDS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "stores"):
                offenders.append(f"{path.relative_to(BOT)}:{node.lineno}")
    assert offenders == []


def test_sources_never_import_the_service_or_ingest():
    graph = _graph()
    bad = {m: sorted(deps & {"bot.service", "bot.ingest", "bot.app", "bot.__main__"})
           for m, deps in _imports(graph, "bot.sources").items()}
    assert {m: d for m, d in bad.items() if d} == {}
    assert "bot.sources.http" in graph["bot.ingest"]

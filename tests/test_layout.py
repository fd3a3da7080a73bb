"""The house rules a newcomer relies on: the README's layout names every module, and no module
imports another that (directly or not) imports it back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "shared", "workers")


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the three packages (packages by their __init__)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its file (inside functions too)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        out.update(t for t in targets if t in modules and t != name)
    return out


def test_no_module_imports_itself_through_others() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_readme_layout_names_every_module() -> None:
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    sections = dict(re.findall(r"^(\w+)/ +(.*?)(?=^\w+/ |\Z)", layout, re.M | re.S))
    missing = []
    for package in PACKAGES:
        text = sections[package]
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT / package)
            if path.name == "__init__.py" or relative.parts[:2] == ("migrations", "versions"):
                continue
            # A module in a subfolder is named as "<folder>/<module>", or after its folder's
            # "<folder>/:" (or "<folder>/ (...):") heading.
            folder = "/".join(relative.parts[:-1])
            if folder and re.search(rf"(?<![\w/]){re.escape(str(relative))}", text):
                found = True
            elif folder:
                heading = re.search(
                    rf"(?<![\w/]){re.escape(folder)}/[^:]*:(.*?)(?=\b\w+/[^:,]*:|\Z)", text, re.S
                )
                found = heading is not None and bool(
                    re.search(rf"(?<![\w/]){re.escape(path.name)}", heading.group(1))
                )
            else:
                found = bool(re.search(rf"(?<![\w/]){re.escape(path.name)}", text))
            if not found:
                missing.append(f"{package}/{relative}")
    assert missing == [], f"README layout lacks: {missing}"

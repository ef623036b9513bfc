"""The headless core never imports Textual: scripts, the CLI and tests stay fast and UI-free."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cjmtui
from factories import ROOT

PACKAGE = Path(cjmtui.__file__).parent
UI = PACKAGE / "ui"

CHECK = r"""
import importlib, importlib.util, pkgutil, sys
import cjmtui, cjmtui.core
names = ["cjmtui", "cjmtui.core"]
for info in pkgutil.walk_packages(cjmtui.core.__path__, "cjmtui.core."):
    importlib.import_module(info.name)
    names.append(info.name)
if importlib.util.find_spec("cjmtui.cli") is not None:
    importlib.import_module("cjmtui.cli")
    names.append("cjmtui.cli")
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names), ",".join(names))
print("TEXTUAL:" + ",".join(loaded))
"""


def test_importing_the_core_and_cli_does_not_import_textual():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    _count, names = result.stdout.splitlines()[0].split(" ", 1)
    # The walk really found the core modules (an empty walk would pass vacuously).
    for expected in ("cjmtui.core.model", "cjmtui.core.store", "cjmtui.core.edit", "cjmtui.core.scoring"):
        assert expected in names.split(",")
    assert result.stdout.splitlines()[1] == "TEXTUAL:", f"textual imported by: {names}"


IMPORT_TEXTUAL = re.compile(r"^\s*(import\s+textual\b|from\s+textual\b)", re.MULTILINE)


def test_no_module_outside_ui_imports_textual():
    offenders = []
    files = [p for p in PACKAGE.rglob("*.py") if UI not in p.parents]
    assert any(p.name == "model.py" for p in files)
    for path in files:
        if IMPORT_TEXTUAL.search(path.read_text("utf-8")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_the_checks_would_catch_an_import(tmp_path):
    # The pattern sees the forms people write; an import inside a function counts too.
    for line in [
        "import textual",
        "from textual.app import App",
        "    from textual import on",
        "import textual.widgets as w",
    ]:
        assert IMPORT_TEXTUAL.search(f"x = 1\n{line}\n")
    for line in ["import textuality", "# see textual docs", "s = 'from textual'"]:
        assert not IMPORT_TEXTUAL.search(f"x = 1\n{line}\n")


def test_starting_the_cli_or_the_ui_does_not_import_jinja2():
    """Jinja2 is for the HTML report only: start-up and the other exports never pay for it."""
    check = (
        "import sys, cjmtui.cli, cjmtui.ui.app, cjmtui.core.export as e, cjmtui.core.scoring as s, "
        "cjmtui.core.store as st\n"
        "session = st.load_session('sessions/online-ordering.toml').session\n"
        "e.export_text('md', session, s.rank(session))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))\n"
        "e.export_text('html', session, s.rank(session))\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "True"], result.stdout


def _circles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another round a circle (Tarjan's strongly
    connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in imports[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_no_module_of_cjmtui_imports_itself_round_a_circle():
    """Issue 25: every import counts (at the top, inside functions, under TYPE_CHECKING), as grimp
    reads them; the nine-module circle around ui/app.py and core's edit <-> merge and rollup <->
    rollup_html are gone, and a new one fails here, naming its modules."""
    import grimp

    graph = grimp.build_graph("cjmtui")
    modules = set(graph.modules)
    imports = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # the finder finds
    assert _circles(imports) == []

"""Textual's private names are used in one place only: ``cjmtui.ui.textual_fixes``, where each
use has its reason and its hook test (test_textual_hooks.py). Elsewhere in ``cjmtui.ui`` a
Textual internal (a ``textual._…`` module, a ``._name`` Textual defines, an override of one) is
a workaround that nobody will find when Textual changes: this test names it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path

import textual

SRC = Path(__file__).resolve().parents[2] / "src" / "cjmtui"
UI = SRC / "ui"
FIXES = UI / "textual_fixes"
TEXTUAL = Path(textual.__file__).parent

# Every use is in textual_fixes now; a use not moved yet would be named here with its hook test.
PENDING: set[tuple[str, str]] = set()

STDLIB = {"os", "sys"}  # os._exit, sys._getframe: not Textual's


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _ui_modules() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if FIXES not in p.parents)


def _defined(tree: ast.AST) -> set[str]:
    """The private names a module defines: functions, class attributes, ``x._name = …``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and _private(node.name):
            names.add(node.name)
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Attribute) and _private(sub.attr):
                    names.add(sub.attr)
                if isinstance(sub, ast.Name) and _private(sub.id):
                    names.add(sub.id)
    return names


@cache
def _own_names() -> frozenset[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        if FIXES not in path.parents:
            names |= _defined(ast.parse(path.read_text()))
    return frozenset(names)


@cache
def _textual_names() -> frozenset[str]:
    names: set[str] = set()
    for path in TEXTUAL.rglob("*.py"):
        names |= _defined(ast.parse(path.read_text()))
    return frozenset(names)


def test_no_module_outside_textual_fixes_imports_a_private_textual_module():
    found = []
    for path in _ui_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "textual" and any(_private(part) for part in parts[1:]):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {module}")
    assert not found, "private Textual modules imported outside ui/textual_fixes:\n" + "\n".join(found)


def test_no_module_outside_textual_fixes_uses_a_private_textual_name():
    own, theirs = _own_names(), _textual_names()
    found = []
    for path in _ui_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                if isinstance(node.value, ast.Name) and node.value.id in STDLIB:
                    continue
                name = node.attr
                if name in theirs and name not in own and (path.name, name) not in PENDING:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: .{name}")
    assert not found, "Textual private names used outside ui/textual_fixes:\n" + "\n".join(found)


def test_no_subclass_outside_textual_fixes_overrides_or_shadows_a_private_textual_name():
    """An override of a Textual private (or an attribute of our own that happens to have the
    name of one of Textual's, which changes Textual's behaviour silently) belongs in
    textual_fixes, with its hook test."""
    found = []
    for path in _ui_modules():
        module_name = "cjmtui." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        module = importlib.import_module(module_name.removesuffix(".__init__"))
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name, None)
            if not inspect.isclass(cls):
                continue
            bases = [base for base in cls.__mro__ if base.__module__.split(".")[0] == "textual"]
            if not bases:
                continue
            for name in sorted(_defined(node)):
                for base in bases:
                    if name in vars(base) or re.search(rf"self\.{name}\b\s*[:=]", _source(base)):
                        found.append(f"{path.relative_to(SRC)}: {node.name}.{name} (Textual's {base.__name__})")
                        break
    assert not found, "Textual private names overridden outside ui/textual_fixes:\n" + "\n".join(found)


@cache
def _source(cls: type) -> str:
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        return ""

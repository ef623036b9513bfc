"""The README's contract: it opens with two one-line commands, and CI runs the second one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    lines = ROOT.joinpath("README.md").read_text("utf-8").splitlines()
    body = [line for line in lines[1:] if line.strip()]
    return [line.strip() for line in body[:2]]


def test_readme_opens_with_install_and_open_then_install_and_test():
    run_app, run_tests = _commands()
    assert run_app.startswith("python3 -m venv .venv && ") and "cjmtui sessions/" in run_app
    example = re.search(r"cjmtui (sessions/\S+\.toml)", run_app).group(1)
    assert ROOT.joinpath(example).is_file()
    assert run_tests.startswith("python3 -m venv .venv && ") and '".[test]"' in run_tests
    assert run_tests.rstrip().split("&&")[-1].strip().startswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command():
    script = ROOT.joinpath(".ci/run").read_text("utf-8")
    # .ci/run takes the first README line that creates a venv and runs pytest: the second command.
    assert "grep -m1 -E '^ *python3 -m venv .*pytest' README.md" in script
    _, run_tests = _commands()
    first_match = next(
        line.strip()
        for line in ROOT.joinpath("README.md").read_text("utf-8").splitlines()
        if re.match(r"^ *python3 -m venv .*pytest", line)
    )
    assert first_match == run_tests
    assert "exit 1" in script and '"$rc" -eq 5' in script  # no tests collected is a failure


def test_the_export_line_names_every_format_and_dialect():
    """README's `cjmtui export` line is the one hand-written list of formats left: it must match
    the registry (issue 25, item 6)."""
    from cjmtui.core.export import FORMATS
    from cjmtui.core.export.tabular import CSV_DIALECTS

    readme = ROOT.joinpath("README.md").read_text("utf-8")
    line = next(line for line in readme.splitlines() if line.strip().startswith("cjmtui export ") and "# md |" in line)
    formats, dialects = line.split("#", 1)[1].split(", --csv-dialect")
    assert {f.strip() for f in formats.split("|")} == set(FORMATS)
    assert {d.strip() for d in dialects.split("|")} == set(CSV_DIALECTS)


# How README writes the keys Textual names otherwise.
KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "plus": "+",
    "minus": "-",
    "f1": "F1",
    "f2": "F2",
    "f10": "F10",
    "escape": "Esc",
    "enter": "Enter",
    "home": "Home",
    "end": "End",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "ctrl+up": "ctrl+↑",
    "ctrl+down": "ctrl+↓",
}


def _own_bindings():
    """Every key binding with a description that cjmtui's UI declares (not Textual's own), in
    any module of the UI package: (where, binding)."""
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding

    import cjmtui.ui
    from cjmtui.ui.keys import APP_BINDINGS

    found = [("ui.keys", b) for b in APP_BINDINGS]
    for info in pkgutil.walk_packages(cjmtui.ui.__path__, "cjmtui.ui."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if not (inspect.isclass(cls) and cls.__module__ == module.__name__ and "BINDINGS" in vars(cls)):
                continue
            textuals = {
                id(b)
                for base in cls.__mro__[1:]
                if base.__module__.startswith("textual")
                for b in vars(base).get("BINDINGS", [])
            }
            found += [(f"{module.__name__}.{name}", b) for b in cls.BINDINGS if id(b) not in textuals]
    return [(where, b) for where, b in found if isinstance(b, Binding) and b.description]


def test_every_key_is_in_the_keys_table():
    """The keys moved from prose to README's Keys table (issue 25, item 6): each key the UI
    declares is there, shown as README writes it (the screens' number keys: the method's table)."""
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    table = readme[readme.index("\n## Keys\n") : readme.index("\n## Running a live workshop")]
    bindings = _own_bindings()
    assert len(bindings) > 40, "the walk found the UI's keys"
    missing = []
    for where, binding in bindings:
        if binding.action.startswith("switch_mode"):
            assert f"| `{binding.key}` |" in readme, binding.key
            continue
        first = binding.key.split(",")[0]
        shown = binding.key_display or KEY_NAMES.get(first, first)
        if f"`{shown}`" not in table:
            missing.append(f"{shown} ({binding.action}, {where})")
    assert missing == [], f"keys not in README's Keys table: {missing}"


def test_every_test_file_the_docs_name_exists():
    for doc in ("README.md", "docs/development.md", "docs/performance.md"):
        text = ROOT.joinpath(doc).read_text("utf-8")
        for path in re.findall(r"`(tests/[\w/]+\.py)", text):
            assert ROOT.joinpath(path).is_file(), f"{doc} names {path}, which does not exist"

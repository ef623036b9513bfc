"""Session files in taplo, the TOML engine of VS Code's Even Better TOML, Helix and Zed (issue 14,
item 3): every bundled and generated session passes ``taplo lint`` against the published
schema; a wrong type, an unknown key and an out-of-range value are each reported, and by
``cjmtui validate`` too (the schema and the model agree).

Skipped when taplo is missing, unless ``CI`` is set (``.ci/run`` installs npm's ``@taplo/cli``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cjmtui.core.schema import SCHEMA_FILE
from cjmtui.core.store import dumps_session
from factories import sessions
from support.needs import need

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / SCHEMA_FILE
EXAMPLES = sorted((ROOT / "sessions").glob("*.toml"))

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def taplo() -> str:
    return need("taplo")


def lint(taplo: str, *files: Path, schema: bool = True) -> subprocess.CompletedProcess[str]:
    """``taplo lint`` (against the published schema, or the file's own ``#:schema`` line)."""
    args = [taplo, "lint", *(["--schema", SCHEMA.as_uri()] if schema else []), *map(str, files)]
    env = {**os.environ, "RUST_LOG": "error", "NO_COLOR": "1"}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


def test_bundled_sessions_pass_through_their_own_schema_line(taplo: str) -> None:
    result = lint(taplo, *EXAMPLES, schema=False)  # the #:schema ../docs/session.schema.json line
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_session_passes_with_the_schema_beside_it(taplo: str, tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "cjmtui", "new", "Motor claims", "--template", "service", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    result = lint(taplo, Path(made.stdout.strip()), schema=False)
    assert result.returncode == 0, result.stdout + result.stderr


# Not shrunk (each example is a taplo run): taplo's own message says what and where.
@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(sessions())
def test_generated_sessions_pass(taplo: str, tmp_path_factory: pytest.TempPathFactory, session) -> None:
    path = tmp_path_factory.mktemp("generated") / "generated.toml"
    path.write_text(dumps_session(session), encoding="utf-8")
    result = lint(taplo, path)
    assert result.returncode == 0, result.stdout + result.stderr


BAD = {
    "a wrong type": ("severity = 3", 'severity = "high"', '"high" is not of type "integer"'),
    "an unknown key": ("severity = 3", "severity = 3\nmood = 1", "'mood' was unexpected"),
    "an out-of-range value": ("severity = 3", "severity = 9", "greater than the maximum of 5"),
    "an unknown choice": ('journey = "buying"', 'journey = "cruise"', "cruise"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_each_mistake_is_reported_by_taplo_and_by_cjmtui(taplo: str, tmp_path: Path, case: str) -> None:
    old, new, message = BAD[case]
    text = EXAMPLES[0].read_text("utf-8")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = lint(taplo, path)
    assert result.returncode != 0 and message in result.stdout + result.stderr, result.stdout + result.stderr
    model = subprocess.run([sys.executable, "-m", "cjmtui", "validate", str(path)], capture_output=True, text=True)
    assert model.returncode == 1 and "Traceback" not in model.stderr, model.stderr


# ---------------------------------------------------------------------------------------------
# taplo and cjmtui validate agree (issue 24, item 6)

AGREE = {  # each: taplo's verdict and the app's are the same (True: accepted)
    "a whole-number float where an integer goes": ("severity = 3", "severity = 3.0", True),
    "a fraction where an integer goes": ("severity = 3", "severity = 3.5", False),
    "an unquoted date in a text field": ('title = "Online ordering — current state"', "title = 2025-01-01", True),
    "whitespace-only text": ('title = "Online ordering — current state"', 'title = "   "', False),
    "a date before 1900": ("date = 2025-03-12", "date = 1899-12-31", False),
    "a date after 2999": ("date = 2025-03-12", "date = 3000-01-01", False),
    "a date-time at midnight (documented)": ("date = 2025-03-12", "date = 2025-03-12T00:00:00", True),
    "a date-time at another time": ("date = 2025-03-12", "date = 2025-03-12T10:00:00", False),
    "a newer schema version": ("schema_version = 1", "schema_version = 2", False),
    "a 200-character name with a leading space": (
        'title = "Online ordering — current state"',
        'title = " ' + "x" * 200 + '"',
        False,
    ),
    "a 200-character name": ('title = "Online ordering — current state"', 'title = "' + "x" * 200 + '"', True),
}


def _taplo_refuses(taplo: str, files: list[Path]) -> set[Path]:
    """The files taplo reports an error in (one run for all: taplo starts slowly)."""
    result = lint(taplo, *files)
    named = set(re.findall(r"┌─ (.+?):\d+:\d+", result.stdout + result.stderr))
    named |= set(re.findall(r'path="([^"]+)"', result.stdout + result.stderr))
    refused = {f for f in files if str(f) in named}
    assert bool(refused) == (result.returncode != 0), result.stdout + result.stderr
    return refused


def _app_accepts(path: Path) -> tuple[bool, str]:
    """``cjmtui validate``'s verdict (the same load, in this process) and its message."""
    from cjmtui.cli import main

    with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(path)])
    return code == 0, err.getvalue()


def test_taplo_and_validate_agree_on_each_documented_case(taplo: str, tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text("utf-8").split("\n", 1)[1]  # without its own #:schema line
    files = []
    for n, (old, new, _ok) in enumerate(AGREE.values()):
        assert old in text
        files.append(tmp_path / f"case{n}.toml")
        files[-1].write_text(text.replace(old, new, 1), encoding="utf-8")
    refused = _taplo_refuses(taplo, files)
    for (case, (_old, _new, ok)), path in zip(AGREE.items(), files, strict=True):
        accepted, message = _app_accepts(path)
        assert (path not in refused, accepted) == (ok, ok), (case, message)
        assert "datetime." not in message and "got '" not in message, message  # TOML words, not Python reprs


MUTABLE = re.compile(
    r"^(severity|frequency|effort|confidence|title|name|text|date|due|review|schema_version|vote_budget|"
    r"hop_decay|evidence|kind|votes) = .*$",
    re.M,
)
VALUES = st.one_of(
    st.integers(-3, 12).map(str),
    st.integers(-1, 7).map(lambda i: f"{i}.0"),
    st.sampled_from(["3.5", "0.25", "1e-05", "-0.5", "100.0"]),
    st.sampled_from(['""', '"   "', '"x"', '"high"', '"2025-01-01"', '"x-data"', '"pain"', "true", "[1, 2]"]),
    st.tuples(st.integers(0, 2), st.integers(197, 201)).map(lambda t: '"' + " " * t[0] + "x" * t[1] + '"'),
    st.integers(1000, 3500).map(lambda y: f"{y:04d}-03-12"),
    st.sampled_from(["2025-03-12T00:00:00", "2025-03-12T10:30:00", "2025-03-12T00:00:00Z", "1899-12-31T00:00:00"]),
)


@settings(
    max_examples=int(os.environ.get("CJMTUI_TAPLO_EXAMPLES", "4")),
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(0, 10_000), VALUES), min_size=25, max_size=25))
def test_taplo_and_validate_agree_on_random_mutations(
    taplo: str, tmp_path_factory: pytest.TempPathFactory, mutations: list[tuple[int, str]]
) -> None:
    """Each of 25 mutated copies of a bundled session (one value changed: a type, a range, a
    blank, a date, a version) gets the same verdict from taplo and from ``cjmtui validate``.
    Checks between items (ids that must exist, no duplicate ids) are not mutated here: the schema
    cannot express them (docs/session-format.md lists them)."""
    text = EXAMPLES[0].read_text("utf-8").split("\n", 1)[1]
    lines = list(MUTABLE.finditer(text))
    folder = tmp_path_factory.mktemp("mutated")
    files, changes = [], []
    for n, (pick, value) in enumerate(mutations):
        line = lines[pick % len(lines)]
        key = line.group(1)
        files.append(folder / f"m{n}.toml")
        files[-1].write_text(text[: line.start()] + f"{key} = {value}" + text[line.end() :], encoding="utf-8")
        changes.append(f"{key} = {value[:30]}")
    refused = _taplo_refuses(taplo, files)
    disagree = []
    for path, change in zip(files, changes, strict=True):
        accepted, message = _app_accepts(path)
        if accepted == (path in refused):
            disagree.append(
                f"{change}: taplo {'refuses' if path in refused else 'accepts'}, validate: {message.strip()[:160]}"
            )
    assert not disagree, "\n".join(disagree)

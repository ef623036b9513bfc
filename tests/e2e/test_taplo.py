"""Session files in taplo, the TOML engine of VS Code's Even Better TOML, Helix and Zed (issue 14,
item 3): every bundled and generated session passes ``taplo lint`` against the published
schema; a wrong type, an unknown key and an out-of-range value are each reported, and by
``cjmtui validate`` too (the schema and the model agree).

Skipped when taplo is missing, unless ``CI`` is set (``.ci/run`` installs npm's ``@taplo/cli``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from cjmtui.core.schema import SCHEMA_FILE
from cjmtui.core.store import dumps_session
from factories import sessions

from .npm import find_npm_tool

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / SCHEMA_FILE
EXAMPLES = sorted((ROOT / "sessions").glob("*.toml"))

pytestmark = pytest.mark.e2e


def find_taplo() -> str | None:
    return find_npm_tool("CJMTUI_TAPLO", ".bin/taplo", "taplo")


@pytest.fixture(scope="module")
def taplo() -> str:
    found = find_taplo()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but taplo is not installed (npm install @taplo/cli, see .ci/run)")
        pytest.skip("taplo not found: npm install @taplo/cli (or set CJMTUI_TAPLO)")
    return found


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

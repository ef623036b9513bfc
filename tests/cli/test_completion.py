"""Shell completion, run in a real bash: what a facilitator gets after pressing Tab."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cjmtui.cli import main
from factories import run_main
from support.needs import needs

BASH = shutil.which("bash")
pytestmark = needs("bash")


def _complete(script: str, line: str, cwd: Path) -> list[str]:
    """What bash completes for the words of ``line`` (the last word is the one being typed)."""
    words = line.split(" ")
    program = "\n".join(
        [
            script,
            "COMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")",
            f"COMP_CWORD={len(words) - 1}",
            "_cjmtui",
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ]
    )
    out = subprocess.run([BASH, "--norc", "--noprofile", "-c", program], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return sorted(w for w in out.stdout.splitlines() if w)


def test_tab_completes_commands_options_their_values_and_session_files(capsys, tmp_path: Path) -> None:
    code, script, _ = run_main(capsys, "completion", "bash")
    assert code == 0 and "complete -o filenames -F _cjmtui cjmtui" in script
    (tmp_path / "workshop.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert _complete(script, "cjmtui ra", tmp_path) == ["rank"]
    assert "workshop.toml" in _complete(script, "cjmtui ", tmp_path)
    assert "notes.txt" not in _complete(script, "cjmtui ", tmp_path)
    assert _complete(script, "cjmtui rank workshop.toml --", tmp_path) == sorted(
        ["--format", "--help", "--indent", "--persona", "--top", "--why"]
    )
    assert _complete(script, "cjmtui export workshop.toml --format j", tmp_path) == ["jira", "json"]
    assert _complete(script, "cjmtui new X --template e", tmp_path) == ["empty"]
    assert _complete(script, "cjmtui validate work", tmp_path) == ["workshop.toml"]


def test_an_unknown_shell_is_a_usage_error(capsys) -> None:
    assert main(["completion", "fish"]) == 2


def test_tab_completes_the_review_command_and_its_options(capsys, tmp_path: Path) -> None:
    _, script, _ = run_main(capsys, "completion", "bash")
    assert _complete(script, "cjmtui revi", tmp_path) == ["review"]
    assert _complete(script, "cjmtui review workshop.toml --", tmp_path) == sorted(
        ["--as-of", "--format", "--future", "--help", "--record", "--since"]
    )
    assert _complete(script, "cjmtui review workshop.toml --format ", tmp_path) == ["json", "md", "table"]

"""Completion in real bash and zsh (zsh through its bashcompinit, as README says) (issue 24,
item 7): a file name with spaces is one candidate, folders are offered as the first word (so
README's ``cjmtui sessions/…`` completes; ``cjmtui s`` offers both ``schema`` and
``sessions``), ``completion <Tab>`` offers the shells, ``-o`` offers every file. zsh is skipped
when it is not installed, unless ``CI`` is set (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from cjmtui.cli import main
from support.needs import need

SHELLS = ["bash", "zsh"]


def _script(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["completion", "bash"]) == 0
    return capsys.readouterr().out


def _shell(name: str) -> str:
    return need(name)


def _complete(shell: str, script: str, words: list[str], cwd: Path) -> list[str]:
    """What the shell's completion function offers for ``words`` (the last one being typed)."""
    array = "(" + " ".join(shlex.quote(w) for w in words) + ")"
    call = [f"COMP_WORDS={array}", f"COMP_CWORD={len(words) - 1}", "_cjmtui"]
    if shell == "bash":
        program = "\n".join([script, *call, 'printf "%s\\n" "${COMPREPLY[@]}"'])
        argv = [_shell("bash"), "--norc", "--noprofile", "-c", program]
    else:
        # As zsh's completion system calls it through bashcompinit: ksharrays on (0-based arrays),
        # PREFIX the word being typed (bashcompinit's compgen globs files with it), and zsh's own
        # matching keeping the candidates that start with it (bashcompinit leaves that to zsh).
        program = "\n".join(
            ["autoload -U compinit bashcompinit", "compinit -u -D", "bashcompinit", script, "setopt ksharrays",
             f"PREFIX={shlex.quote(words[-1])}", *call, 'print -rl -- "${(M)COMPREPLY[@]:#${(b)PREFIX}*}"']
        )  # fmt: skip
        argv = [_shell("zsh"), "-f", "-c", program]
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), "LANG": "C.UTF-8"}
    out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    return sorted({w.rstrip("/") for w in out.stdout.splitlines() if w})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "My workshop.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "online-ordering.toml").write_text("")
    return tmp_path


@pytest.mark.parametrize("shell", SHELLS)
def test_a_name_with_spaces_is_one_word(shell: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script(capsys)
    assert _complete(shell, script, ["cjmtui", "My"], folder) == ["My workshop.toml"]
    assert _complete(shell, script, ["cjmtui", "validate", "My"], folder) == ["My workshop.toml"]


@pytest.mark.parametrize("shell", SHELLS)
def test_folders_are_offered_as_the_first_word(shell: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script(capsys)
    assert _complete(shell, script, ["cjmtui", "ses"], folder) == ["sessions"]
    assert _complete(shell, script, ["cjmtui", "se"], folder) == ["serve", "sessions"]  # both: the user picks
    assert _complete(shell, script, ["cjmtui", "s"], folder) == ["schema", "serve", "sessions"]
    assert _complete(shell, script, ["cjmtui", "sessions/"], folder) == ["sessions/online-ordering.toml"]


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_offers_shells_and_output_any_file(
    shell: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script(capsys)
    assert _complete(shell, script, ["cjmtui", "completion", ""], folder) == ["bash", "zsh"]
    out = _complete(shell, script, ["cjmtui", "export", "My workshop.toml", "-o", ""], folder)
    assert "notes.txt" in out and "My workshop.toml" in out and "sessions" in out
    assert "notes.txt" in _complete(shell, script, ["cjmtui", "schema", "--output", "no"], folder)
    assert _complete(shell, script, ["cjmtui", "export", "x.toml", "--csv-dialect", "excel-"], folder) == [
        "excel-de",
        "excel-en",
    ]

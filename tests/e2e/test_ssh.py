"""cjmtui over a real SSH link on loopback: the link drops, the notes survive.

The test starts its own OpenSSH server on 127.0.0.1 (a free port, its own host key and
authorized key in a temp folder, no system config touched) and drives ``ssh -tt`` from a tmux
pane, with cjmtui running on the far side. Skipped when sshd, ssh or tmux is missing, unless
``CI`` is set (then ``.ci/run`` has installed them, and a missing one is a failure).
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cjmtui.core.store import load_session
from support.needs import need, needs
from support.ssh import ssh_argv
from support.tmux import Pane

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "sessions" / "online-ordering.toml"
WAIT = 25.0  # seconds for a screen to show through ssh

pytestmark = [pytest.mark.e2e, needs("sshd", "ssh", "ssh-keygen", "tmux")]

TITLES = ["1 Persona", "2 Stages", "3 Pain points", "4 Internal processes", "5 Solutions", "6 Map", "7 Summary"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cjmtui() -> str:
    script = Path(sys.executable).parent / "cjmtui"
    return str(script) if script.exists() else f"{sys.executable} -m cjmtui"


@pytest.fixture
def sshd(tmp_path):
    """An sshd on 127.0.0.1 that lets this user in with a key made for the test."""
    sshd_exe, keygen = need("sshd"), need("ssh-keygen")
    folder = tmp_path / "ssh"
    folder.mkdir()
    os.chmod(folder, 0o700)
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key")], check=True)
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "client_key")], check=True)
    shutil.copyfile(folder / "client_key.pub", folder / "authorized_keys")
    os.chmod(folder / "authorized_keys", 0o600)
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"Port {port}",
                f"HostKey {folder / 'host_key'}",
                f"AuthorizedKeysFile {folder / 'authorized_keys'}",
                f"PidFile {folder / 'sshd.pid'}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "AcceptEnv LANG LC_*",
                "ClientAliveInterval 1",
                "ClientAliveCountMax 2",
                "",
            ]
        )
    )
    log = open(folder / "sshd.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sshd_exe, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            pytest.fail(f"sshd did not start: {(folder / 'sshd.log').read_text()}")
        time.sleep(0.05)
    yield {"port": port, "key": folder / "client_key", "folder": folder}
    proc.terminate()
    proc.wait(5)
    log.close()


def _pane(tmp_path: Path, command: str, term: str) -> Pane:
    """A tmux pane (tests/support/tmux.py) running the shell command ``command``: the ssh client."""
    pane = Pane(tmp_path / "pane")
    pane.start(["sh", "-c", command], term=term, wrap=False)
    return pane


def _ssh_command(sshd, remote: str, term: str) -> str:
    options = ("-tt", "-i", str(sshd["key"]), "-o", "BatchMode=yes", "-o", "ServerAliveInterval=1")
    argv = ssh_argv(sshd["port"], getpass.getuser(), *options, ssh=need("ssh"))
    return " ".join([f"env TERM={term}", *map(shlex.quote, argv), shlex.quote(remote)])


def _remote(tmp_path: Path, session: Path, term: str, extra_env: str = "") -> str:
    home = tmp_path / "remote-home"
    home.mkdir(exist_ok=True)
    return (
        f"cd {shlex.quote(str(tmp_path))} && env HOME={home} XDG_CONFIG_HOME={home}/.config "
        f"XDG_DATA_HOME={home}/.local/share TERM={term} {extra_env} {_cjmtui()} {shlex.quote(str(session))}"
    )


def _remote_pid(session: Path) -> int:
    """The far side's cjmtui, from the lock file it writes beside the session."""
    lock = session.with_name(f".{session.name}.lock")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            return int(json.loads(lock.read_text())["pid"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.05)
    raise AssertionError("the remote cjmtui wrote no lock file")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes (its parent, sshd's session, reaps it).
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def test_notes_survive_when_the_ssh_link_drops(sshd, tmp_path):
    session = tmp_path / "workshop.toml"
    shutil.copyfile(EXAMPLE, session)
    pane = _pane(
        tmp_path, _ssh_command(sshd, _remote(tmp_path, session, "xterm-256color"), "xterm-256color"), "xterm-256color"
    )
    try:
        pane.wait_for("3 Pain points", timeout=WAIT)
        remote = _remote_pid(session)
        pane.keys("a")
        pane.wait_for("type, Enter; Esc closes", timeout=WAIT)
        notes = ["Nobody told me the part was discontinued", "I had to call three times", "The chat bot looped"]
        for note in notes:
            pane.type(note)
            pane.keys("Enter")
        pane.wait_for(notes[-1][:20], timeout=WAIT)
        # The facilitator sees the notes (and perhaps an autosave) before the link drops; whether or
        # not the autosave has run, cjmtui must save on the hang-up.
        # The link drops: kill the ssh client abruptly; sshd hangs up on the remote side.
        client = pane.shell_pid
        os.kill(client, signal.SIGKILL)
        assert _wait_gone(remote), "the remote cjmtui exits within seconds after the link drops"
        texts = {p.text for p in load_session(session).session.pains}
        assert set(notes) <= texts
        assert not (tmp_path / f".{session.name}.lock").exists(), "the lock is released"
        assert not list(tmp_path.glob(f".{session.name}.*.tmp")), "no temp file left behind"
    finally:
        pane.close()


@pytest.mark.parametrize(
    ("term", "extra_env"),
    [("xterm", "COLORTERM="), ("xterm-256color", "NO_COLOR=1")],
    ids=["xterm-16-colours", "no-color"],
)
def test_every_screen_is_readable_over_ssh(sshd, tmp_path, term, extra_env):
    session = tmp_path / "workshop.toml"
    shutil.copyfile(EXAMPLE, session)
    pane = _pane(tmp_path, _ssh_command(sshd, _remote(tmp_path, session, term, extra_env), term), term)
    try:
        pane.wait_for("3 Pain points", timeout=WAIT)
        remote = _remote_pid(session)
        for key, title in zip("1234567", TITLES, strict=True):
            pane.keys(key)
            screen = pane.wait_for(title, timeout=WAIT)
            assert "cjmtui" in screen
        screen = pane.wait_for("Fix the online catalogue", timeout=WAIT)  # item text on the summary
        pane.keys("F10")
        assert _wait_gone(remote), "F10 quits"
    finally:
        pane.close()

"""``cjmtui serve`` end to end (issue 22): the facilitator's app in one tmux pane, participants
joining with the real OpenSSH client in others, the room code typed by ``SSH_ASKPASS``.

Everything binds 127.0.0.1 on a free port; the host key is made in the test's own data folder.
Skipped when ssh or tmux is missing, unless ``CI`` is set (then ``.ci/run`` has installed them,
and a missing one is a failure)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from cjmtui.core.store import load_session
from support.needs import need, needs
from support.ssh import ssh_argv
from support.tmux import CAPTURE_HINT, Pane, cjmtui_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "sessions" / "online-ordering.toml"
SSH = shutil.which("ssh")
CODE = "otter-maple-quill"
WAIT = 40.0  # two shared cores, several apps starting at once

pytestmark = [pytest.mark.e2e, needs("ssh", "tmux")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Room:
    """A ``cjmtui serve`` in a pane, and the way in for participants."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.session = tmp / "online-ordering.toml"
        shutil.copyfile(EXAMPLE, self.session)
        self.port = _free_port()
        self.askpass = tmp / "askpass.sh"
        self.askpass.write_text('#!/bin/sh\nprintf "%s\\n" "$CJM_CODE"\n')
        self.askpass.chmod(0o700)
        self.panes: list[Pane] = []
        self.facilitator = self.pane("facilitator")
        argv = [*cjmtui_command(), "serve", str(self.session), "--port", str(self.port), "--bind", "127.0.0.1"]
        self.facilitator.start([*argv, "--code", CODE], cwd=tmp)
        self.facilitator.wait_for(f"code {CODE}", timeout=WAIT)

    def pane(self, name: str) -> Pane:
        folder = self.tmp / f"pane-{name}-{len(self.panes)}"
        folder.mkdir()
        pane = Pane(folder)
        self.panes.append(pane)
        return pane

    def ssh_argv(self, name: str, *extra: str) -> list[str]:
        assert SSH is not None
        options = ("-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1")
        return ssh_argv(self.port, name, *options, *extra, ssh=SSH)

    def ssh_env(self, code: str = CODE) -> dict[str, str]:
        return {"SSH_ASKPASS": str(self.askpass), "SSH_ASKPASS_REQUIRE": "force", "CJM_CODE": code}

    def run_ssh(self, name: str, *args: str, code: str = CODE, timeout: float = 30) -> subprocess.CompletedProcess:
        env = {**os.environ, **self.ssh_env(code), "HOME": str(self.tmp)}
        return subprocess.run(
            [*self.ssh_argv(name, *args[:-1]), args[-1]] if args else self.ssh_argv(name),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def join(self, name: str) -> Pane:
        pane = self.pane(name)
        pane.start([*self.ssh_argv(name, "-tt")], extra_env=self.ssh_env(), cwd=self.tmp)
        pane.wait_for(f"as {name}", timeout=WAIT)
        return pane

    def close(self) -> None:
        for pane in self.panes:
            pane.close()


@pytest.fixture
def room(tmp_path):
    r = Room(tmp_path)
    try:
        yield r
    finally:
        r.close()


def _participant_apps(room: Room, name: str) -> list[int]:
    """The pids of this room's participant apps running as ``name`` (``ps -o comm``: each names
    itself), among the processes descended from the room's ``cjmtui serve`` (not another test's
    room running beside this one)."""
    out = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,comm="], capture_output=True, text=True, check=True).stdout
    parent: dict[int, int] = {}
    comm: dict[int, str] = {}
    for line in out.splitlines():
        pid, ppid, *rest = line.split(None, 2)
        parent[int(pid)], comm[int(pid)] = int(ppid), rest[0] if rest else ""
    top = room.facilitator.pid()

    def in_room(pid: int) -> bool:
        while pid > 1:
            if pid == top:
                return True
            pid = parent.get(pid, 0)
        return False

    title = f"cjmtui:{name}"[:15]
    return [pid for pid, c in comm.items() if c == title and in_room(pid)]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(predicate, timeout: float = WAIT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f}s: {what}")
        time.sleep(0.1)


def _write(pane: Pane, *notes: str) -> None:
    pane.keys("3")
    pane.wait_for("3 Pain points", timeout=WAIT)
    pane.keys("a")
    pane.wait_for(CAPTURE_HINT, timeout=WAIT)
    for note in notes:
        pane.type(note)
        pane.wait_for(note, timeout=WAIT)
        pane.keys("Enter")
        pane.wait_for(CAPTURE_HINT, timeout=WAIT)
    pane.keys("Escape")


def _write_at_once(notes: dict[Pane, list[str]]) -> None:
    """Every pane captures its notes at the same time: each note typed in every pane, then Enter
    in every pane at once (a room writing together, not one after another)."""
    for pane in notes:
        pane.keys("3")
    for pane in notes:
        pane.wait_for("3 Pain points", timeout=WAIT)
        pane.keys("a")
    for pane in notes:
        pane.wait_for(CAPTURE_HINT, timeout=WAIT)
    for i in range(max(len(n) for n in notes.values())):
        typed = {pane: texts[i] for pane, texts in notes.items() if i < len(texts)}
        for pane, text in typed.items():
            pane.type(text)
        for pane, text in typed.items():
            pane.wait_for(text, timeout=WAIT)
        for pane in typed:
            pane.keys("Enter")
        for pane in typed:
            pane.wait_for(CAPTURE_HINT, timeout=WAIT)
    for pane in notes:
        pane.keys("Escape")


def test_a_wrong_code_a_command_and_forwarding_are_refused(room):
    wrong = room.run_ssh("Ana", "-tt", "true", code="not-the-code")
    assert wrong.returncode == 255 and "Permission denied" in wrong.stderr
    command = room.run_ssh("Ana", "cat /etc/passwd")
    assert command.returncode != 0
    assert "root:" not in command.stdout + command.stderr
    assert "workshop only" in command.stderr
    remote = room.run_ssh("Ana", "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22", "")
    assert remote.returncode != 0 and "forwarding failed" in remote.stderr
    # -L: ssh listens here, but the server refuses every channel: nothing comes through.
    local = _free_port()
    env = {**os.environ, **room.ssh_env(), "HOME": str(room.tmp)}
    argv = [*room.ssh_argv("Ana", "-N", "-L", f"127.0.0.1:{local}:127.0.0.1:{room.port}")]
    forward = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", local)) == 0:
                    s.settimeout(WAIT)
                    data = s.recv(100)  # the served port would say "SSH-2.0-…"
                    break
            if time.monotonic() > deadline:
                pytest.fail("ssh -L never listened")
            time.sleep(0.1)
        assert data == b""
    finally:
        forward.terminate()
        forward.communicate(timeout=10)
    assert not room.session.with_name("passwd").exists()


def test_participants_write_notes_rejoin_drop_and_the_facilitator_ends_the_room(room):
    names = ["Ana", "Ben", "Cleo", "Dan", "Eve"]
    panes = {name: room.join(name) for name in names}
    room.facilitator.wait_for("here: 5", timeout=WAIT)
    # A silent-writing round: each sees only their own notes until the reveal.
    room.facilitator.keys("W")
    room.facilitator.wait_for("silent writing", timeout=WAIT)
    for name in names:
        panes[name].wait_for("silent writing", timeout=WAIT)
    # The facilitator and the five write at the same time.
    _write_at_once(
        {
            room.facilitator: ["Fran: the facilitator's note"],
            **{panes[name]: [f"{name}: the first note", f"{name}: the second note"] for name in names},
        }
    )
    for name in names:
        panes[name].wait_for("silent writing (9 hid", timeout=WAIT)  # the bar may cut the rest
        screen = panes[name].screen()
        assert not [n for n in names if n != name and f"{n}: the first note" in screen], screen
        assert "Fran: the facilitator's note" not in screen
    # Private voting: each participant's own dots, unseen by the others until the reveal.
    room.facilitator.keys("V")
    for name in ("Ana", "Ben"):
        pane = panes[name]
        pane.wait_for("private voting", timeout=WAIT)
        pane.keys("5")
        pane.wait_for("5 Solutions", timeout=WAIT)
        pane.keys("v")
        pane.wait_for("dots left", timeout=WAIT)
        before = re.search(r"(\d+) dots left", pane.screen())
        assert before is not None
        pane.keys("+")
        pane.wait_for(f"{int(before.group(1)) - 1} dots left", timeout=WAIT)
        pane.keys("Escape")
    room.facilitator.keys("R")
    panes["Cleo"].wait_for("Ana: the first note", "Eve: the second note", timeout=WAIT)
    # The same name again replaces the older connection (a laptop that dropped rejoins).
    older = panes["Ben"]
    panes["Ben"] = room.join("Ben")
    older.wait_for("You joined again", timeout=WAIT)
    assert older.wait_exit(WAIT) == 0
    _write(panes["Ben"], "Ben: after rejoining")
    # A killed client: its app saves and ends.
    ssh_pid = panes["Cleo"].pid()
    _write(panes["Cleo"], "Cleo: just before the crash")
    apps = _participant_apps(room, "Cleo")
    assert len(apps) == 1
    os.kill(ssh_pid, signal.SIGKILL)
    _wait(lambda: not _participant_apps(room, "Cleo"), what="Cleo's app ended after her ssh was killed")
    room.facilitator.wait_for("here: 4", timeout=WAIT)
    # F10: every participant's app saves, they are told, their connection closes.
    running = [pid for n in names for pid in _participant_apps(room, n)]
    assert len(running) == 4, running
    room.facilitator.keys("F10")
    for name in ("Ana", "Ben", "Dan", "Eve"):
        panes[name].wait_for("The workshop has ended; everything you wrote is saved.", timeout=WAIT)
        assert panes[name].wait_exit(WAIT) == 0
    assert room.facilitator.wait_exit(WAIT) == 0
    pains = load_session(room.session).session.pains
    written = [
        *(f"{n}: the {which} note" for n in names for which in ("first", "second")),
        "Ben: after rejoining",
        "Cleo: just before the crash",
    ]
    for text in written:
        found = [p for p in pains if p.text == text]
        assert len(found) == 1, (text, [p.text for p in pains if p.created_by])
        assert found[0].created_by == text.split(":")[0]
    fran = [p for p in pains if p.text == "Fran: the facilitator's note"]
    assert len(fran) == 1 and fran[0].created_by is None  # the facilitator's own: no participant's name
    voters = {p.name: sum(p.solution_votes.values()) for p in load_session(room.session).session.participants}
    assert voters.get("Ana") == 1 and voters.get("Ben") == 1, voters
    _wait(lambda: not [pid for pid in running if Path(f"/proc/{pid}").exists()], what="every app ended")
    assert not re.search(r"Traceback", room.facilitator.screen())


def test_a_frozen_client_is_noticed_by_keepalives_and_its_app_saves_and_ends(room):
    pane = room.join("Dan")
    _write(pane, "Dan: written before the laptop froze")
    ssh_pid = pane.pid()
    os.kill(ssh_pid, signal.SIGSTOP)  # the link stays up, nothing answers: only keepalives can tell
    try:
        # Keepalives every 5 s, 3 unanswered: the connection ends within about 15 s.
        _wait(lambda: not _participant_apps(room, "Dan"), timeout=60, what="Dan's app ended after his ssh froze")
        room.facilitator.wait_for("here: 0", timeout=WAIT)
    finally:
        os.kill(ssh_pid, signal.SIGCONT)
    pains = [p for p in load_session(room.session).session.pains if p.text == "Dan: written before the laptop froze"]
    assert len(pains) == 1 and pains[0].created_by == "Dan"


@needs("sshd", "ssh-keygen")
def test_the_readmes_forcecommand_recipe_locks_an_account_to_the_app(tmp_path):
    """README's shared-host recipe, in the test's own sshd on 127.0.0.1: whatever command the
    client asks for, the account gets the restricted app under its own name."""
    sshd_exe, keygen = need("sshd"), need("ssh-keygen")
    import getpass
    import shlex

    user = getpass.getuser()
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    for name in ("host_key", "client_key"):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    shutil.copyfile(folder / "client_key.pub", folder / "authorized_keys")
    session = tmp_path / "online-ordering.toml"
    shutil.copyfile(EXAMPLE, session)
    port = _free_port()
    home = tmp_path / "remote-home"
    home.mkdir()
    join = " ".join(shlex.quote(a) for a in [*cjmtui_command(), "join", str(session)])
    forced = f'env HOME={home} XDG_DATA_HOME={home}/data XDG_CONFIG_HOME={home}/config {join} --as "$USER" --restricted'
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
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                f"Match User {user}",
                f"    ForceCommand {forced}",
                "    AllowTcpForwarding no",
                "    AllowAgentForwarding no",
                "    X11Forwarding no",
                "",
            ]
        )
    )
    log = open(folder / "sshd.log", "w")  # noqa: SIM115 - closed below
    sshd = subprocess.Popen([sshd_exe, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    pane = Pane(tmp_path / "pane")
    try:
        _wait(lambda: _listening(port), what="sshd listening")
        argv = [
            *ssh_argv(port, user, "-tt", "-i", str(folder / "client_key"), "-o", "BatchMode=yes", ssh=SSH),
            "cat /etc/passwd",
        ]
        pane.start(argv, cwd=tmp_path)
        screen = pane.wait_for(f"as {user}", timeout=WAIT)
        assert "root:x:" not in screen
        pane.keys("F10")
        assert pane.wait_exit(WAIT) == 0
        assert "root:x:" not in pane.screen()
    finally:
        pane.close()
        sshd.terminate()
        sshd.wait(5)
        log.close()

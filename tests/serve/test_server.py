"""cjmtui serve's SSH server with an asyncssh client, in one process: who gets in, what a
connection can do (only run the participant's app), and what happens when it goes.

The participant's app is replaced by a small script on the same pseudo-terminal (the real app
over the real OpenSSH client is tests/e2e/test_serve.py)."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import asyncssh

from cjmtui.core import files
from cjmtui.serve.codes import WORDS, code_matches, new_code
from cjmtui.serve.guard import Guard
from cjmtui.serve.hostkey import KEY_NAME, fingerprint, host_key
from cjmtui.serve.server import ENDED, REPLACED, RoomServer, refused_name

CODE = "otter-maple-quill"

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    name, folder = sys.argv[1], sys.argv[2]
    def hup(*_):
        open(os.path.join(folder, name + ".saved"), "w").write("saved")
        sys.exit(0)
    signal.signal(signal.SIGHUP, hup)
    size = os.get_terminal_size(0)
    print(f"child {name} term={os.environ.get('TERM')} size={size.columns}x{size.lines}", flush=True)
    for line in sys.stdin:
        word = line.strip()
        if word == "size":
            size = os.get_terminal_size(0)
            print(f"now {size.columns}x{size.lines}", flush=True)
        elif word == "q":
            break
    """
)


@pytest.fixture
def room(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    session = tmp_path / "s.toml"
    session.write_text("")
    key, _ = host_key(files.user_data_dir())
    server = RoomServer(
        session,
        code=CODE,
        host_key=key,
        port=0,
        bind="127.0.0.1",
        facilitator="Fran",
        delay=0.0,
        command=lambda path, name: [sys.executable, str(script), name, str(tmp_path)],
    )
    server.start()
    yield server
    server.end_room(timeout=20)


async def connect(server, name="Ana", password=CODE, **options):
    return await asyncssh.connect(
        "127.0.0.1", server.port, username=name, password=password, known_hosts=None, client_keys=None, **options
    )


async def read_until(process, text, timeout=20.0):
    seen = ""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in seen:
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"{text!r} did not come; got {seen!r}")
        chunk = await asyncio.wait_for(process.stdout.read(4096), left)
        if not chunk:
            raise AssertionError(f"{text!r} did not come before the end; got {seen!r}")
        seen += chunk
    return seen


def test_codes_are_words_and_compare_loosely():
    code = new_code()
    assert len(code.split("-")) == 3 and all(w in WORDS for w in code.split("-"))
    assert len(set(WORDS)) >= 256
    assert code_matches(" Otter maple-QUILL ", CODE)
    assert not code_matches("otter-maple", CODE)


def test_guard_shuts_an_address_out_for_a_minute_after_five_wrong_codes():
    now = [0.0]
    guard = Guard(clock=lambda: now[0])
    for _ in range(4):
        guard.failed("10.0.0.1")
    assert not guard.blocked("10.0.0.1")
    guard.failed("10.0.0.1")
    assert guard.blocked("10.0.0.1") and not guard.blocked("10.0.0.2")
    now[0] = 61.0
    assert not guard.blocked("10.0.0.1")


def test_host_key_is_made_once_0600_and_never_through_a_link(tmp_path):
    folder = tmp_path / "data"
    key, path = host_key(folder)
    assert path == folder / KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, _ = host_key(folder)
    assert fingerprint(again) == fingerprint(key) and fingerprint(key).startswith("SHA256:")
    other = tmp_path / "other"
    other.mkdir()
    target = tmp_path / "elsewhere"
    target.write_text("not a key")
    (other / KEY_NAME).symlink_to(target)
    with pytest.raises(Exception, match="host key"):
        host_key(other)
    assert target.read_text() == "not a key"


def test_names_are_checked_as_join_does_and_the_facilitators_are_refused():
    assert refused_name("Ana", "Fran") is None
    assert refused_name("facilitator", "Fran")
    assert refused_name("FRAN", "Fran")
    assert refused_name("  ", "Fran")
    assert refused_name("x" * 500, "Fran")


async def test_the_right_code_runs_the_app_on_a_terminal_of_the_clients_size(room):
    async with await connect(room) as conn:
        process = await conn.create_process(term_type="xterm-256color", term_size=(90, 30))
        await read_until(process, "child Ana term=xterm-256color size=90x30")
        assert [c.name for c in room.connected()] == ["Ana"]
        process.change_terminal_size(100, 40)
        await asyncio.sleep(0.2)
        process.stdin.write("size\n")
        await read_until(process, "now 100x40")
        process.stdin.write("q\n")
        await process.wait_closed()
        assert process.exit_status == 0


class CodeTyper(asyncssh.SSHClient):
    prompts: list[str] = []

    def kbdint_auth_requested(self):
        return ""

    def kbdint_challenge_received(self, name, instructions, lang, prompts):
        CodeTyper.prompts.extend(p for p, _echo in prompts)
        return [CODE.upper().replace("-", " ")] if prompts else []


async def test_keyboard_interactive_takes_the_code_too(room):
    conn, _client = await asyncssh.create_connection(
        CodeTyper,
        "127.0.0.1",
        room.port,
        username="Ana",
        known_hosts=None,
        client_keys=None,
        preferred_auth="keyboard-interactive",
    )
    assert CodeTyper.prompts == ["Room code: "]
    async with conn:
        process = await conn.create_process(term_type="xterm", term_size=(80, 24))
        await read_until(process, "child Ana")
        process.stdin.write("q\n")
        await process.wait_closed()


async def test_a_wrong_code_is_refused_and_five_shut_the_address_out(room):
    for _ in range(5):
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(room, password="wrong-code")
    with pytest.raises(asyncssh.PermissionDenied):  # the right code too, for a minute
        await connect(room)


async def test_a_command_is_never_run(room):
    async with await connect(room) as conn:
        result = await conn.run("cat /etc/passwd", term_type="xterm")
        assert result.exit_status == 1
        assert "root:" not in str(result.stdout) + str(result.stderr)
        assert "workshop only" in str(result.stderr)
        result = await conn.run("cat /etc/passwd")
        assert result.exit_status == 1 and not result.stdout


async def test_no_terminal_no_app(room):
    async with await connect(room) as conn:
        result = await conn.run()
        assert result.exit_status == 1 and "needs a terminal" in str(result.stderr)


async def test_no_forwarding_either_way_and_no_sftp(room):
    async with await connect(room) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", room.port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError, asyncssh.ProcessError)):
            async with conn.start_sftp_client():
                pass


async def test_the_facilitators_names_are_refused(room):
    for name in ("facilitator", "Fran"):
        async with await connect(room, name=name) as conn:
            result = await conn.run(term_type="xterm")
            assert result.exit_status == 1 and "facilitator's name" in str(result.stderr)


async def test_the_same_name_again_replaces_the_older_connection(room, tmp_path):
    async with await connect(room) as first:
        old = await first.create_process(term_type="xterm", term_size=(80, 24))
        await read_until(old, "child Ana")
        async with await connect(room) as second:
            new = await second.create_process(term_type="xterm", term_size=(80, 24))
            await read_until(old, REPLACED)
            await old.wait_closed()
            await read_until(new, "child Ana")
            assert (tmp_path / "Ana.saved").exists()  # the older app saved (SIGHUP) before the new began
            assert [c.name for c in room.connected()] == ["Ana"]
            new.stdin.write("q\n")
            await new.wait_closed()


async def test_a_client_that_goes_hangs_up_its_app(room, tmp_path):
    conn = await connect(room, name="Ben")
    process = await conn.create_process(term_type="xterm", term_size=(80, 24))
    await read_until(process, "child Ben")
    conn.abort()
    for _ in range(200):
        if (tmp_path / "Ben.saved").exists() and not room.connected():
            break
        await asyncio.sleep(0.05)
    assert (tmp_path / "Ben.saved").exists()
    assert room.connected() == []


async def test_ending_the_room_saves_every_app_and_says_so(room, tmp_path):
    conns, processes = [], []
    for name in ("Ana", "Ben", "Cleo"):
        conn = await connect(room, name=name)
        process = await conn.create_process(term_type="xterm", term_size=(80, 24))
        await read_until(process, f"child {name}")
        conns.append(conn)
        processes.append(process)
    assert sorted(c.name for c in room.connected()) == ["Ana", "Ben", "Cleo"]
    await asyncio.get_running_loop().run_in_executor(None, room.end_room)
    for name, process in zip(("Ana", "Ben", "Cleo"), processes, strict=True):
        await read_until(process, ENDED)
        await process.wait_closed()
        assert (tmp_path / f"{name}.saved").exists()
    for conn in conns:
        conn.close()
    assert not os.path.exists(tmp_path / "facilitator.saved")


def test_serve_without_asyncssh_prints_the_install_line(monkeypatch, capsys, tmp_path):
    from cjmtui.cli import main

    for module in [m for m in sys.modules if m == "asyncssh" or m.startswith(("asyncssh.", "cjmtui.serve."))]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "asyncssh", None)
    session = Path(tmp_path / "s.toml")
    session.write_text("")
    assert main(["serve", str(session)]) == 1
    err = capsys.readouterr().err
    assert 'pip install "cjmtui[serve]"' in err and "Traceback" not in err


async def test_many_participants_at_once_each_get_their_app(room):
    """More participants than the event loop's default executor has threads (it had 6 here)."""
    names = [f"P{i:02d}" for i in range(12)]
    conns = [await connect(room, name=name) for name in names]
    processes = [await conn.create_process(term_type="xterm", term_size=(80, 24)) for conn in conns]
    for name, process in zip(names, processes, strict=True):
        await read_until(process, f"child {name}")
    assert sorted(c.name for c in room.connected()) == names
    for process in processes:
        process.stdin.write("q\n")
        await process.wait_closed()
    for conn in conns:
        conn.close()


async def test_a_key_listed_in_authorized_keys_gets_in_without_the_code(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    session = tmp_path / "s.toml"
    session.write_text("")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    listed = tmp_path / "authorized_keys"
    listed.write_bytes(client_key.export_public_key())
    key, _ = host_key(files.user_data_dir())
    server = RoomServer(
        session,
        code=CODE,
        host_key=key,
        port=0,
        bind="127.0.0.1",
        authorized_keys=listed,
        delay=0.0,
        command=lambda path, name: [sys.executable, str(script), name, str(tmp_path)],
    )
    server.start()
    try:
        async with asyncssh.connect(
            "127.0.0.1", server.port, username="Ana", client_keys=[client_key], known_hosts=None, password=None
        ) as conn:
            process = await conn.create_process(term_type="xterm", term_size=(80, 24))
            await read_until(process, "child Ana")
            process.stdin.write("q\n")
            await process.wait_closed()
        other = asyncssh.generate_private_key("ssh-ed25519")
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect(
                "127.0.0.1", server.port, username="Ana", client_keys=[other], known_hosts=None, password=None
            )
    finally:
        await asyncio.get_running_loop().run_in_executor(None, server.end_room)


def test_serve_refuses_a_bad_port_and_a_missing_keys_file(tmp_path, capsys):
    from cjmtui.cli import main

    session = tmp_path / "s.toml"
    session.write_text("")
    assert main(["serve", str(session), "--port", "70000"]) == 1
    assert "--port 70000" in capsys.readouterr().err
    assert main(["serve", str(session), "--authorized-keys", str(tmp_path / "nope")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_port_already_taken_is_one_clear_error(room, tmp_path):
    from cjmtui.core.errors import CjmError

    key, _ = host_key(files.user_data_dir())
    second = RoomServer(tmp_path / "s.toml", code=CODE, host_key=key, port=room.port, bind="127.0.0.1")
    with pytest.raises(CjmError, match=f"cannot serve on 127.0.0.1:{room.port}"):
        second.start()
    assert second.preloader is None  # the preloaded process it started is gone too


async def test_a_change_to_the_session_file_pokes_every_participants_app_at_once(tmp_path, monkeypatch):
    """Issue 22: a note on every screen within a second. The server looks at the file's stat
    (one process, every 50 ms) and pokes each participant's app (SIGUSR1, which it listens for once
    up), instead of each app finding out at its own next look, up to half a second later. An app
    started afresh (not forked from the preloaded process, which ignores the signal until the
    app listens) is never poked: the signal would end it."""
    import asyncio
    import signal as signals

    from cjmtui.serve import participant as server_module

    session = tmp_path / "s.toml"
    session.write_text("one")
    key, _ = host_key(files.user_data_dir())
    room = RoomServer(session, code=CODE, host_key=key, port=0, bind="127.0.0.1")
    poked: list[tuple[str, int]] = []
    for name, pokeable in (("Ana", True), ("Ben", True), ("Cleo", False)):
        person = server_module.Participant(None, name)
        person.pokeable = pokeable
        person.signal = lambda signum, name=name: poked.append((name, signum))
        room.participants[name.casefold()] = person
    watch = asyncio.create_task(room._watch_file())
    try:
        await asyncio.sleep(0.2)
        assert poked == []  # nothing changed yet
        session.write_text("two, longer")
        for _ in range(40):
            if poked:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        assert sorted(poked) == [("Ana", signals.SIGUSR1), ("Ben", signals.SIGUSR1)]
    finally:
        watch.cancel()


def test_a_participants_app_takes_in_a_save_when_poked(tmp_path, monkeypatch):
    """The other half: the restricted app listens for SIGUSR1 and looks at the file at once."""
    import asyncio
    import os
    import signal as signals

    from cjmtui.core.edit import add_item
    from cjmtui.core.store import save_session
    from cjmtui.core.workspace import Workspace
    from cjmtui.ui import app as app_module
    from factories import workshop

    monkeypatch.setattr(app_module, "DISK_CHECK_INTERVAL", 600.0)  # only the poke can bring it
    path = tmp_path / "room.toml"
    save_session(path, workshop(), None)
    other = Workspace.open(path)
    app = app_module.CjmApp(Workspace.open(path), tmp_path, actor="Ana", restricted=True)
    previous = signals.signal(signals.SIGUSR1, signals.SIG_IGN)  # as the preloaded process has it

    async def run() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            other.history.apply(
                "note", add_item(other.session, "pains", {"stage": "find", "text": "Ben's"}, actor="Ben")[0]
            )
            assert other.save().ok
            os.kill(os.getpid(), signals.SIGUSR1)
            for _ in range(100):
                await pilot.pause(0.05)
                if any(p.text == "Ben's" for p in app.session.pains):
                    break
            return [p.text for p in app.session.pains]

    try:
        assert "Ben's" in asyncio.run(run())
    finally:
        signals.signal(signals.SIGUSR1, previous)

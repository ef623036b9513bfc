"""A participant's app on a pseudo-terminal, bridged to their SSH channel (``cjmtui serve``).

Each connection that may join gets a :class:`Participant`: its app, ``cjmtui join FILE --as NAME
--restricted``, runs on a new pseudo-terminal of the client's size, forked from a process that
imported the UI once (:class:`Preloader`, :mod:`cjmtui.cli.preload`) or, when that process is
not there, started afresh. The app's output goes to the channel, the client's keys and window
size changes to the terminal. When the client goes, the app gets SIGHUP (it saves and exits)
and SIGKILL after :data:`CHILD_EXIT_WAIT` seconds. The SSH side is :mod:`cjmtui.serve.server`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

from .ssh import asyncssh

STALLED_BYTES = 64 * 1024  # output queued for a client that does not read: it is stalled
CHILD_EXIT_WAIT = 10.0  # seconds an app has to save and exit after SIGHUP before SIGKILL

# The facilitator's environment a participant's app keeps (never their terminal's or tmux's).
KEPT_ENV = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "VIRTUAL_ENV", "PYTHONPATH", "SYSTEMROOT")
KEPT_PREFIXES = ("LC_", "XDG_", "CJMTUI_")


def participant_command(path: Path, name: str) -> list[str]:
    """How a participant's app starts: this interpreter, ``cjmtui join`` restricted."""
    return [sys.executable, "-m", "cjmtui", "join", str(path), "--as", name, "--restricted"]


def child_env(term: str | None, colorterm: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in KEPT_ENV or k.startswith(KEPT_PREFIXES)}
    env["TERM"] = term or "xterm-256color"
    if colorterm:
        env["COLORTERM"] = colorterm
    return env


def set_size(fd: int, columns: int, rows: int) -> None:
    """Give the pseudo-terminal ``fd`` a size (its app gets SIGWINCH from the kernel)."""
    if columns > 0 and rows > 0:
        with contextlib.suppress(OSError):
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class Preloader:
    """The preloaded process (:mod:`cjmtui.cli.preload`): the UI imported once, one fork per
    participant, so a participant's first screen does not wait for Python to import Textual."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cjmtui.cli.preload", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # never over the facilitator's screen
                env=child_env(None, None),
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.sock = ours
        self.sock.settimeout(60.0)  # the first request waits for the imports
        self.lock = threading.Lock()

    def spawn(self, argv: list[str], env: dict[str, str], cwd: Path, terminal: int) -> int:
        """Fork an app running ``cjmtui ARGV…`` on ``terminal``; its pid."""
        request = json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode()
        with self.lock:
            socket.send_fds(self.sock, [request], [terminal])
            reply = self.sock.recv(4096)
        if not reply:
            raise OSError("the preloaded process has gone")
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Participant:
    """One connection's app: a child process on a pseudo-terminal, bridged to the SSH channel."""

    def __init__(self, process: Any, name: str) -> None:
        self.process = process
        self.name = name
        self.since = time.time()
        self.pid: int | None = None  # its app's process (a session leader: its group is its pid)
        self.alive = False
        self.pokeable = False  # its app ignores SIGUSR1 until it listens for it (forked: preload.py)
        self.master = -1
        self.ending: str | None = None  # the words said on the connection when it is ended
        self.finished = asyncio.Event()

    def stalled(self) -> bool:
        try:
            return int(self.process.channel.get_write_buffer_size()) > STALLED_BYTES
        except Exception:
            return False

    def hang_up(self, message: str | None = None) -> None:
        """Ask the app to save and exit (SIGHUP), and say ``message`` once it has."""
        if message is not None and self.ending is None:
            self.ending = message
        self.signal(signal.SIGHUP)

    def signal(self, signum: int) -> None:
        if self.pid is not None and self.alive:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signum)

    async def run(self, command: list[str], cwd: Path, preloader: Preloader | None = None) -> int:
        """Run ``command`` on a new pseudo-terminal until it exits or the client goes; its exit
        code. With ``preloader``, the app is forked from the preloaded process (``command``
        being ``python -m cjmtui ARGS…``), else started afresh."""
        process = self.process
        master, slave = os.openpty()
        self.master = master
        width, height = process.get_terminal_size()[:2]
        set_size(slave, width or 80, height or 24)
        env = child_env(process.get_terminal_type(), (process.env or {}).get("COLORTERM"))
        loop = asyncio.get_running_loop()
        exited: asyncio.Future[int] = loop.create_future()
        try:
            await self._start(command, cwd, env, slave, preloader, exited)
        finally:
            os.close(slave)
        output_done = self._copy_output(master)
        pump = asyncio.create_task(self._pump_input(master))
        waits: set[asyncio.Future[Any]] = {pump, exited}
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if exited not in done:  # the client went away (or closed its input): the app saves and exits
            self.hang_up()
            try:
                await asyncio.wait_for(asyncio.shield(exited), CHILD_EXIT_WAIT)
            except TimeoutError:
                self.signal(signal.SIGKILL)
                await exited
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(output_done.wait(), 1.0)  # its last words: the terminal restored
        loop.remove_reader(master)
        pump.cancel()
        os.close(master)
        self.master = -1
        code = 0 if self.ending else exited.result()  # ended by the room: not an error
        if self.ending:
            with contextlib.suppress(Exception):
                process.stdout.write(f"\r\n{self.ending}\r\n".encode())
        return code

    async def _start(
        self,
        command: list[str],
        cwd: Path,
        env: dict[str, str],
        terminal: int,
        preloader: Preloader | None,
        exited: asyncio.Future[int],
    ) -> None:
        """Start the app on ``terminal``, forked by ``preloader`` or afresh; ``exited`` gets its
        exit code when it ends."""
        loop = asyncio.get_running_loop()

        def finished(code: int) -> None:
            self.alive = False
            if not exited.done():
                exited.set_result(code)

        pid = None
        if preloader is not None:
            with contextlib.suppress(OSError, ValueError):
                pid = await asyncio.to_thread(preloader.spawn, command[3:], env, cwd, terminal)
        if pid is not None:
            self.pid, self.alive, self.pokeable = pid, True, True
            pidfd = os.pidfd_open(pid)

            def ended() -> None:
                loop.remove_reader(pidfd)
                os.close(pidfd)
                finished(0)  # not our child: its status is the preloaded process's to collect

            loop.add_reader(pidfd, ended)
            return
        child = subprocess.Popen(
            command,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            cwd=cwd,
            env=env,
            start_new_session=True,  # its own session: the pty becomes its controlling terminal
            close_fds=True,
        )
        self.pid, self.alive = child.pid, True

        def wait_for_exit() -> None:
            # A thread of its own per app: the loop's default executor has only a few threads.
            code = child.wait()
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(finished, code)

        threading.Thread(target=wait_for_exit, name=f"cjmtui-serve-wait-{child.pid}", daemon=True).start()

    def _copy_output(self, master: int) -> asyncio.Event:
        """The app's output to the client, until the app closes its terminal (the event is set)."""
        loop = asyncio.get_running_loop()
        output_done = asyncio.Event()
        process = self.process

        def readable() -> None:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the app closed its terminal (it exited)
                data = b""
            if not data:
                loop.remove_reader(master)
                output_done.set()
                return
            with contextlib.suppress(Exception):
                process.stdout.write(data)

        loop.add_reader(master, readable)
        return output_done

    async def _pump_input(self, master: int) -> None:
        """The client's keys to the app; window size changes to the pseudo-terminal."""
        stdin = self.process.stdin
        while True:
            try:
                data = await stdin.read(65536)
            except asyncssh.TerminalSizeChanged as exc:
                set_size(master, exc.width, exc.height)
                continue
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except Exception:  # the connection is gone
                return
            if not data:
                return
            try:
                os.write(master, data)
            except OSError:
                return

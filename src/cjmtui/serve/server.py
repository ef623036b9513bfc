"""The SSH server of ``cjmtui serve``: participants in with the room code, each in their own app.

**Where it runs.** The server runs on its own asyncio event loop in one daemon thread
(:class:`RoomServer`), beside the facilitator's Textual app in the main thread. The thread does
only network work (SSH, and copying bytes between each connection and its participant's
pseudo-terminal); the participants' apps are separate processes, so none of their work ever
holds the facilitator's screen. Shutting down is one call from the main thread
(:meth:`RoomServer.end_room`): it tells every participant's app to save and exit (SIGHUP), says
"the workshop has ended" on each connection, closes them, stops the loop and joins the thread.
A child process for the server would have needed a second channel to report who is connected
and to end the room; the thread shares both with the facilitator's app for free.

**What a connection can do.** Nothing but run the participant's app:

- authentication by the room code (password or keyboard-interactive) or, with
  ``--authorized-keys``, a listed key; wrong codes are answered after a second and an address
  with 5 wrong codes in a minute is shut out for that minute (:class:`cjmtui.serve.guard.Guard`);
- a session with a pseudo-terminal gets ``cjmtui join FILE --as NAME --restricted``, NAME being
  the SSH login name, run on a pseudo-terminal by :mod:`cjmtui.serve.participant` (forked from a
  process that imported the UI once, :mod:`cjmtui.cli.preload`; a fresh interpreter if that
  process is not there); a command (``ssh host cat /etc/passwd``) is never run: the channel says
  so on stderr and closes with exit status 1; no subsystem (no SFTP), no port forwarding either
  way, no agent or X11 forwarding;
- one connection per name: the same name again replaces the older connection (a laptop that
  dropped rejoins);
- keepalives every 5 s, 3 unanswered end the connection (a frozen or vanished client is noticed
  within 15 s); its app then gets SIGHUP, which saves and exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import CjmError, EditError
from ..core.live import participant_name
from ..core.presence import FACILITATOR
from .codes import code_matches
from .guard import WRONG_CODE_DELAY, Guard
from .participant import CHILD_EXIT_WAIT, Participant, Preloader, participant_command
from .ssh import asyncssh

KEEPALIVE_INTERVAL = 5
KEEPALIVE_COUNT_MAX = 3
ENDED = "The workshop has ended; everything you wrote is saved."
REPLACED = "You joined again from another connection: this one is closed; everything you wrote is saved."
WATCH_EVERY = 0.05  # seconds between looks at the session file's stat, to poke the apps


def refused_name(name: str, facilitator: str) -> str | None:
    """Why ``name`` cannot join (None: it can): not a name ``cjmtui join --as`` takes, or the
    facilitator's (``facilitator``, or the session's facilitator's own name)."""
    try:
        name = participant_name(name)
    except EditError as exc:
        return str(exc)
    taken = {FACILITATOR, facilitator.strip().casefold()} - {""}
    if name.casefold() in taken:
        return f"{name!r} is the facilitator's name: log in under your own (ssh -p PORT YOURNAME@HOST)"
    return None


@dataclass
class Connected:
    """One participant connected now, as the facilitator's screen shows them."""

    name: str
    since: float  # time.time() when they connected
    stalled: bool  # their client does not read what their app writes (frozen, suspended)


class _Auth(asyncssh.SSHServer):
    """One connection's authentication: the room code, or a listed key."""

    def __init__(self, room: RoomServer) -> None:
        self.room = room
        self.address = "?"

    def connection_made(self, conn: Any) -> None:
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "?"

    def begin_auth(self, username: str) -> bool:
        return True  # everyone authenticates

    def public_key_auth_supported(self) -> bool:
        return self.room.authorized_keys is not None

    def password_auth_supported(self) -> bool:
        return True

    def kbdint_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        return await self._check(password)

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        return ("cjmtui", "The room code is on the facilitator's screen.", "", [("Room code: ", False)])

    async def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> Any:
        return await self._check(responses[0] if len(responses) == 1 else "")

    async def _check(self, typed: str) -> bool:
        guard = self.room.guard
        if guard.blocked(self.address):
            await asyncio.sleep(self.room.delay)
            return False
        if code_matches(typed, self.room.code):
            return True
        guard.failed(self.address)
        await asyncio.sleep(self.room.delay)
        return False

    # Everything else is refused (asyncssh's defaults, said here so nobody has to look):
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False  # ssh -L

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False  # ssh -R

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class RoomServer:
    """The SSH server on its own event loop in a thread (see the module's docstring)."""

    def __init__(
        self,
        path: Path,
        *,
        code: str,
        host_key: Any,
        port: int = 2222,
        bind: str = "0.0.0.0",
        facilitator: str = "",
        authorized_keys: Path | None = None,
        delay: float = WRONG_CODE_DELAY,
        guard: Guard | None = None,
        command: Callable[[Path, str], list[str]] = participant_command,
        preload: bool = True,
    ) -> None:
        self.path = Path(path).resolve()
        self.code = code
        self.host_key = host_key
        self.port = port
        self.bind = bind
        self.facilitator = facilitator
        self.authorized_keys = authorized_keys
        self.delay = delay
        self.guard = guard or Guard()
        self.command = command
        # Participants' apps fork from a preloaded process (the real app only, on Linux).
        self.preload = preload and command is participant_command and hasattr(os, "pidfd_open")
        self.preloader: Preloader | None = None
        self.participants: dict[str, Participant] = {}  # by casefolded name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._watcher: asyncio.Task[None] | None = None

    # From the facilitator's thread ----------------------------------------------------------

    def start(self) -> None:
        """Listen (the port is taken when this returns, or :class:`CjmError` says why not)."""
        started = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            try:
                self._server = loop.run_until_complete(self._listen())
            except BaseException as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            if self._watcher is not None:  # the file watch ends with the loop
                self._watcher.cancel()
                loop.run_until_complete(asyncio.gather(self._watcher, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        if self.preload:
            try:
                self.preloader = Preloader()
            except OSError:
                self.preloader = None  # each app starts afresh instead
        self._thread = threading.Thread(target=main, name="cjmtui-serve", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            if self.preloader is not None:
                self.preloader.close()
                self.preloader = None
            exc = failure[0]
            raise CjmError(f"cannot serve on {self.bind}:{self.port}: {getattr(exc, 'strerror', None) or exc}")
        if self.port == 0 and self._server is not None:
            self.port = int(self._server.sockets[0].getsockname()[1])

    def connected(self) -> list[Connected]:
        """Who is connected now, in the order they came."""
        with self._lock:
            people = list(self.participants.values())
        return [Connected(p.name, p.since, p.stalled()) for p in sorted(people, key=lambda p: p.since)]

    def end_room(self, message: str = ENDED, timeout: float = 15.0) -> None:
        """Every participant's app saves and exits, each connection says ``message`` and closes;
        then the server stops. Safe to call twice."""
        loop = self._loop
        if loop is None or self._thread is None:
            return
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._end(message), loop)
            with contextlib.suppress(Exception):
                future.result(timeout)
            loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout)
        self._thread = None
        if self.preloader is not None:
            self.preloader.close()
            self.preloader = None

    # On the server's loop -------------------------------------------------------------------

    async def _watch_file(self) -> None:
        """Poke every participant's app (SIGUSR1) the moment the session file changes: one stat
        here every :data:`WATCH_EVERY` seconds instead of each app finding out at its next look
        (up to half a second later; twenty apps looking more often would cost twenty times)."""
        last: tuple[int, ...] | None = None
        while True:
            await asyncio.sleep(WATCH_EVERY)
            try:
                st = os.stat(self.path)
            except OSError:
                continue
            now = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            if last is not None and now != last:
                with self._lock:
                    people = [p for p in self.participants.values() if p.pokeable]
                for person in people:
                    person.signal(signal.SIGUSR1)
            last = now

    async def _listen(self) -> Any:
        self._watcher = asyncio.get_running_loop().create_task(self._watch_file())
        return await asyncssh.create_server(
            lambda: _Auth(self),
            self.bind,
            self.port,
            server_host_keys=[self.host_key],
            authorized_client_keys=str(self.authorized_keys) if self.authorized_keys else None,
            process_factory=self._session,
            encoding=None,
            line_editor=False,
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            keepalive_interval=KEEPALIVE_INTERVAL,
            keepalive_count_max=KEEPALIVE_COUNT_MAX,
            login_timeout=60,
        )

    async def _session(self, process: Any) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            process.exit(await self._serve(process))
        except Exception:
            with contextlib.suppress(Exception):
                process.exit(1)
        finally:
            if task is not None:
                self._tasks.discard(task)

    def _say(self, process: Any, message: str) -> None:
        with contextlib.suppress(Exception):
            process.stderr.write(f"cjmtui: {message}\r\n".encode())

    async def _serve(self, process: Any) -> int:
        if process.command is not None or process.subsystem is not None:
            # Never run: the connection exists for the workshop only.
            self._say(process, f"this server runs the workshop only: ssh -t -p {self.port} NAME@HOST")
            return 1
        if process.get_terminal_type() is None:
            self._say(process, f"the workshop needs a terminal: ssh -t -p {self.port} NAME@HOST")
            return 1
        raw = str(process.get_extra_info("username") or "")
        why = refused_name(raw, self.facilitator)
        if why is not None:
            self._say(process, why)
            return 1
        name = participant_name(raw)
        key = name.casefold()
        with self._lock:
            older = self.participants.get(key)
        if older is not None:  # the same name again: the older connection saves and closes
            older.hang_up(REPLACED)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(older.finished.wait(), CHILD_EXIT_WAIT + 2)
        me = Participant(process, name)
        with self._lock:
            self.participants[key] = me
        try:
            return await me.run(self.command(self.path, name), self.path.parent, self.preloader)
        finally:
            with self._lock:
                if self.participants.get(key) is me:
                    del self.participants[key]
            me.finished.set()

    async def _end(self, message: str) -> None:
        with self._lock:
            people = list(self.participants.values())
        if self._watcher is not None:
            self._watcher.cancel()
        for person in people:
            person.hang_up(message)
        if self._server is not None:
            self._server.close()
        tasks = [t for t in self._tasks if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=CHILD_EXIT_WAIT + 3)
        await asyncio.sleep(0.2)  # the last words leave before the connections close
        if self._server is not None:
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

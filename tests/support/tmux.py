"""The one tmux driver: the end-to-end tests and the benchmarks run cjmtui in real tmux panes.

- :class:`Tmux` is a private tmux server (``tmux -L <unique socket>``, no user config, no
  status line, ``remain-on-exit``: a program that dies keeps its last screen), with HOME and
  the XDG folders in a scratch folder and an explicit environment (``TERM``, ``LANG``).
  Commands go to it as one ``tmux`` process each (:meth:`Tmux.run`), or, with
  ``control=True`` (the benchmarks), over one control-mode connection (``tmux -C``): a
  ``capture-pane`` then costs about 0.2 ms instead of 4 ms, so polling is finer and does not
  steal CPU from the program being measured.
- :class:`Pane` is one program in one tmux session: started with a clean environment, looked
  at (:meth:`~Pane.screen`, :meth:`~Pane.wait_for`, :meth:`~Pane.wait`), typed into
  (:meth:`~Pane.keys`, :meth:`~Pane.type`), and measured (CPU time, memory, from ``/proc``).
  ``Pane(folder)`` makes a pane with a server of its own (what a test wants); ``tmux.start()``
  makes another pane on a running server (what a benchmark wants).

Waits poll the screen until what a person would see shows up (bounded, never fixed sleeps) and
raise :class:`TmuxError` (an AssertionError: a test fails with the last screen in the message).
Importable from the tests (``from support.tmux import Pane``) and from ``bench/`` (which puts
``tests/`` on ``sys.path``). Linux only for the measurements (``/proc``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "sessions" / "online-ordering.toml"

WIDTH, HEIGHT = 100, 30
WAIT = 20.0  # the longest any single expected screen may take to show up
POLL = 0.02  # seconds between looks at the screen (tmux processes)
POLL_CONTROL = 0.002  # the same over a control-mode connection

TITLES = {
    "1": "1 Persona",
    "2": "2 Stages",
    "3": "3 Pain points",
    "4": "4 Internal processes",
    "5": "5 Solutions",
    "6": "6 Map",
    "7": "7 Summary",
    "8": "8 Departments",
}
CAPTURE_HINT = "type, Enter; Esc closes"  # the quick-capture entry's placeholder (the entry is empty)
EXITED = re.compile(r"EXITED-(\d+)")


class TmuxError(AssertionError):
    """tmux is missing, a command failed, or what was waited for never showed."""


def cjmtui_command() -> list[str]:
    """The installed console script beside this Python, else ``python -m cjmtui``."""
    script = Path(sys.executable).parent / "cjmtui"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "cjmtui"]


def tmux_quote(arg: str) -> str:
    """Quote one argument for a tmux command line (double quotes; escape \\ " $ and ~)."""
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("~", "\\~") + '"'


class Tmux:
    """A private tmux server."""

    def __init__(self, scratch: Path, *, control: bool = False, env: dict[str, str] | None = None) -> None:
        exe = shutil.which("tmux")
        if exe is None:
            raise TmuxError("tmux is not installed (apt-get install tmux)")
        self.exe = exe
        self.socket = f"cjm-{os.getpid()}-{uuid.uuid4().hex[:10]}"  # unique: parallel tests never share one
        self.scratch = scratch
        self.home = scratch / "home"
        for sub in ("config", "data", "state"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self.env = env or {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        if "TMUX_TMPDIR" in os.environ:
            self.env.setdefault("TMUX_TMPDIR", os.environ["TMUX_TMPDIR"])
        self.conf = scratch / "tmux.conf"
        self.conf.write_text("set -g remain-on-exit on\nset -g status off\nset -g history-limit 2000\n")
        self.ctl: subprocess.Popen[str] | None = None
        self._n = 0
        if control:
            self._connect()

    # Commands ------------------------------------------------------------------------------------

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """One tmux command as a process of its own (its stdout, stderr and status)."""
        done = subprocess.run(
            [self.exe, "-L", self.socket, "-f", str(self.conf), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if check and done.returncode:
            raise TmuxError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
        return done

    def cmd(self, *args: str) -> list[str]:
        """One tmux command, over the control connection when there is one; its output lines."""
        if self.ctl is None:
            return self.run(*args).stdout.splitlines()
        assert self.ctl.stdin is not None
        self.ctl.stdin.write(" ".join(tmux_quote(a) for a in args) + "\n")
        self.ctl.stdin.flush()
        return self._read_block()

    def _connect(self) -> None:
        """A control-mode client, attached to a session that only sleeps (tmux's own start-up is
        then over before anything is timed)."""
        self.run("new-session", "-d", "-s", "base", "-x", "80", "-y", "24", "--", "sleep", "86400")
        attach = ["-C", "attach-session", "-t", "base", "-f", "no-output,ignore-size"]
        self.ctl = subprocess.Popen(
            [self.exe, "-L", self.socket, "-f", str(self.conf), *attach],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            text=True,
            bufsize=1,
            encoding="utf-8",
            errors="replace",
        )
        self._read_block()  # the attach command's own (empty) block

    def _read_block(self) -> list[str]:
        assert self.ctl is not None and self.ctl.stdout is not None
        out: list[str] = []
        inside = False
        while True:
            line = self.ctl.stdout.readline()
            if not line:
                raise TmuxError("tmux control client went away")
            line = line.rstrip("\n")
            if not inside:
                inside = line.startswith("%begin ")
                continue  # a notification between blocks
            if line.startswith(("%end ", "%error ")):
                if line.startswith("%error "):
                    raise TmuxError("\n".join(out) or line)
                return out
            out.append(line)

    # Panes ---------------------------------------------------------------------------------------

    def start(self, argv: Sequence[str], *, size: tuple[int, int] = (120, 40), **start: object) -> Pane:
        """Start ``argv`` in a new pane of this server (see :meth:`Pane.start`; here by default
        unwrapped, with ``COLORTERM=truecolor``); returns at once, ``Pane.t0`` is when."""
        self._n += 1
        pane = Pane(self, width=size[0], height=size[1], name=f"run{self._n}")
        start.setdefault("wrap", False)
        start.setdefault("colorterm", "truecolor")
        pane.start(argv, **start)  # type: ignore[arg-type]
        return pane

    def close(self) -> None:
        try:
            socket = self.run("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
            self.run("kill-server", check=False)
            if socket:  # tmux 3.3 leaves the socket file behind
                Path(socket).unlink(missing_ok=True)
        finally:
            if self.ctl is not None and self.ctl.poll() is None:
                self.ctl.terminate()
                try:
                    self.ctl.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.ctl.kill()

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Memory:
    rss_mib: float
    hwm_mib: float  # peak RSS


class Pane:
    """One program in one tmux session, driven like a person at a terminal."""

    def __init__(self, where: Path | Tmux, *, width: int = WIDTH, height: int = HEIGHT, name: str = "e2e") -> None:
        """``where``: a folder (the pane gets a tmux server of its own there, closed with it) or
        a running :class:`Tmux`."""
        self.own = not isinstance(where, Tmux)
        self.server = Tmux(where) if isinstance(where, Path) else where
        self.width, self.height, self.name = width, height, name
        self.started = False
        self.wrapped = True
        self.t0 = 0.0
        self.pane_id = ""
        self.shell_pid = 0

    @property
    def home(self) -> Path:
        """The HOME of the programs this pane's server starts (their folder unless told)."""
        return self.server.home

    @home.setter
    def home(self, folder: Path) -> None:
        self.server.home = folder

    @property
    def env(self) -> dict[str, str]:
        """The environment of the tmux server (and so of every program it starts)."""
        return self.server.env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Any tmux command on this pane's server (``paste-buffer``, ``kill-pane``…)."""
        return self.server.run(*args, check=check)

    def start(
        self,
        argv: Sequence[str],
        *,
        term: str = "xterm-256color",
        colorterm: str | None = None,
        extra_env: dict[str, str] | None = None,
        cwd: Path | None = None,
        wrap: bool = True,
    ) -> None:
        """Run ``argv`` in the pane with a clean, explicit environment.

        With ``wrap`` (the default) a small ``sh`` runs it, waits for it and prints
        ``EXITED-<status>``: tmux itself sometimes never reaps a pane's process that exits
        right after its pty closes (seen with tmux 3.3a), so the exit status comes from sh.
        """
        env = {"TERM": term, **({"COLORTERM": colorterm} if colorterm else {}), **(extra_env or {})}
        # `env -u` drops what the tmux server would otherwise pass on from our own environment.
        command = ["env", "-u", "COLORTERM", "-u", "NO_COLOR", "-u", "CJMTUI_SESSIONS", "-u", "TMUX"]
        command += [f"{k}={v}" for k, v in env.items()]
        command += list(argv)
        if wrap:
            command = ["sh", "-c", '"$@"; echo "EXITED-$?"; exec sleep 600', "sh", *command]
        self.wrapped = wrap
        self.t0 = time.perf_counter()
        size = ["-x", str(self.width), "-y", str(self.height)]
        out = self.server.cmd(
            "new-session", "-d", "-s", self.name, *size, "-c", str(cwd or self.home), "-P", "-F",
            "#{pane_id} #{pane_pid}", "--", *command,
        )  # fmt: skip
        self.pane_id, pid = out[0].split()
        self.shell_pid = int(pid)
        self.started = True

    def close(self, timeout: float = 10.0) -> None:
        """End the program (its session is killed: SIGHUP) and, for a pane with a server of its
        own, the server."""
        if self.started:
            self.started = False
            if self.own:
                self.server.close()
                return
            try:
                self.server.cmd("kill-session", "-t", self.name)
            except TmuxError:
                pass
            deadline = time.perf_counter() + timeout
            while self.alive() and time.perf_counter() < deadline:
                time.sleep(0.01)
        elif self.own:
            self.server.close()

    # Looking ---------------------------------------------------------------------------------------

    def screen(self, *, escapes: bool = False) -> str:
        """What the pane shows now (``escapes``: with its colours, as SGR escape sequences)."""
        return "\n".join(self.server.cmd("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.name)) + "\n"

    def info(self, fmt: str) -> str:
        """A tmux format of the pane (``#{pane_pid}``, ``#{pane_dead}``…)."""
        return "\n".join(self.server.cmd("display-message", "-p", "-t", self.name, fmt)).strip()

    def _poll(self) -> float:
        return POLL if self.server.ctl is None else POLL_CONTROL

    def wait_for(self, *wanted: str, timeout: float = WAIT, regex: bool = False) -> str:
        """Poll the screen until every one of ``wanted`` shows; returns that screen."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if all((re.search(w, text) if regex else w in text) for w in wanted):
                return text
            if self.wrapped and EXITED.search(text):
                raise TmuxError(f"the program exited while waiting for {wanted!r}; last screen:\n{text}")
            if time.monotonic() > deadline:
                raise TmuxError(f"{wanted!r} never showed within {timeout:.0f}s; last screen:\n{text}")
            time.sleep(self._poll())

    def wait(self, patterns: Iterable[str], timeout: float = 30.0, since: float | None = None) -> float:
        """Poll until every regex in ``patterns`` is on screen; seconds since ``since`` (or the
        start): what the benchmarks time."""
        rxs = [re.compile(p) for p in patterns]
        start = self.t0 if since is None else since
        while True:
            text = self.screen()
            if all(rx.search(text) for rx in rxs):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise TmuxError(f"{[rx.pattern for rx in rxs]} never showed in {timeout:.0f}s; screen:\n{text}")
            if not self.alive():
                raise TmuxError(f"the program exited before {[rx.pattern for rx in rxs]} showed; screen:\n{text}")
            time.sleep(self._poll())

    def dead(self) -> bool:
        if self.wrapped:
            return EXITED.search(self.screen()) is not None
        return self.info("#{pane_dead}") == "1"

    def wait_exit(self, timeout: float = WAIT) -> int:
        """Wait until the program has exited; returns its exit status (as sh reports it)."""
        assert self.wrapped, "only a wrapped program reports its exit status"
        deadline = time.monotonic() + timeout
        while True:
            found = EXITED.search(self.screen())
            if found:
                return int(found.group(1))
            if time.monotonic() > deadline:
                raise TmuxError(f"still running {timeout:.1f}s later; screen:\n{self.screen()}")
            time.sleep(self._poll())

    # The process -----------------------------------------------------------------------------------

    def pid(self) -> int:
        """The pid of the program itself (the child of the wrapping sh)."""
        if not self.wrapped:
            return self.shell_pid
        deadline = time.monotonic() + WAIT
        while True:
            children = children_of(self.shell_pid)
            if len(children) == 1:
                return children[0]
            if time.monotonic() > deadline:
                raise TmuxError(f"no single child of the pane's shell {self.shell_pid}: {children}")
            time.sleep(POLL)

    def pids(self) -> list[int]:
        """The pane's process and its descendants."""
        found, todo = [], [self.shell_pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children_of(pid))
        return found

    def alive(self) -> bool:
        try:
            state = Path(f"/proc/{self.shell_pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")

    def cpu_seconds(self) -> float:
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def settle(self, window: float = 0.3, busy: float = 0.05, timeout: float = 10.0) -> None:
        """Wait until the program uses less than ``busy`` of a CPU over ``window`` seconds."""
        deadline = time.perf_counter() + timeout
        before = self.cpu_seconds()
        while time.perf_counter() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before <= busy * window:
                return
            before = now

    def memory(self) -> Memory:
        rss = hwm = 0.0
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
            hwm += int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
        return Memory(rss, hwm)

    # Typing ----------------------------------------------------------------------------------------

    def keys(self, *keys: str) -> None:
        """tmux key names: ``Enter``, ``Escape``, ``F10``, ``3``, ``a``..."""
        self.server.cmd("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        """Literal text, exactly as typed (no key-name lookup)."""
        self.server.cmd("send-keys", "-t", self.name, "-l", text)

    # cjmtui ----------------------------------------------------------------------------------------

    def screen_to(self, key: str) -> str:
        """Press a screen key (1-8) and wait for that screen's title."""
        self.keys(key)
        return self.wait_for(TITLES[key])

    def open_capture(self) -> None:
        self.keys("a")
        self.wait_for(CAPTURE_HINT)

    def capture_note(self, text: str) -> None:
        """Type a note into the open quick-capture entry, press Enter, wait until it is listed."""
        self.type(text)
        self.wait_for(text[-40:])
        self.keys("Enter")
        # The entry clears (its placeholder is back) and the note is now a row of the list.
        self.wait_for(CAPTURE_HINT, text[:40])


def children_of(pid: int) -> list[int]:
    """Child processes of ``pid`` (``/proc``, else ``ps``, which every Unix has)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    out = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    pairs = (line.split() for line in out.splitlines())
    return [int(child) for child, parent in pairs if int(parent) == pid]


# ---------------------------------------------------------------------------------------------
# The two measurements of the benchmarks


@dataclass
class FirstScreen:
    ms: float  # wall clock, start to first screen
    cpu_ms: float  # CPU time the program had used by then: much less sensitive to a busy machine
    memory: Memory


def time_to_first_screen(tmux: Tmux, argv: Sequence[str], markers: Sequence[str], **start: object) -> FirstScreen:
    """Start ``argv``; ms until every marker regex shows; then its peak RSS once settled."""
    pane = tmux.start(argv, **start)
    try:
        seconds = pane.wait(markers)
        cpu = pane.cpu_seconds()
        pane.settle()
        return FirstScreen(seconds * 1000, cpu * 1000, pane.memory())
    finally:
        pane.close()


def letters(n: int, seed: int) -> str:
    """``n`` lower-case letters that read as no word (and no screen text happens to contain)."""
    import random

    rng = random.Random(seed)
    return "".join(rng.choice("qzxjkvwyfgh") for _ in range(n))


def key_latencies(
    tmux: Tmux,
    argv: Sequence[str],
    ready: Sequence[str],
    prep: Sequence[tuple[str, Sequence[str]]] = (),
    *,
    n: int = 30,
    pause: float = 0.05,
    seed: int = 0,
    **start: object,
) -> list[float]:
    """Start ``argv``, wait for ``ready``; for each ``(key, markers)`` in ``prep`` press the key
    and wait for its markers; let the program settle; then type ``n`` letters one at a time and
    time (ms) until the whole text typed so far shows. ``n`` must fit in the entry's width."""
    pane = tmux.start(argv, **start)
    try:
        pane.wait(ready)
        for key, markers in prep:
            t = time.perf_counter()
            pane.keys(key)
            pane.wait(markers, since=t)
        pane.settle()
        word = letters(n, seed)
        lats = []
        for i in range(1, n + 1):
            want = r"(?<![a-z])" + re.escape(word[:i]) + r"(?![a-z])"  # the whole word, nothing more
            t = time.perf_counter()
            pane.type(word[i - 1])
            pane.wait([want], timeout=10, since=t)
            lats.append((time.perf_counter() - t) * 1000)
            time.sleep(pause)
        return lats
    finally:
        pane.close()

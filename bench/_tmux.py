"""Drive terminal programs in real tmux panes and time what a person would see.

Grown from /work/shared/tools/ttfs.py and keylat.py. What changed, and why:

- A private tmux server per run of the benchmark (``tmux -L <unique socket>``, no user config,
  no status line), started before anything is timed: tmux's own start-up is never measured.
- Commands go to tmux over one control-mode connection (``tmux -C``) instead of one
  ``tmux`` process per poll: a ``capture-pane`` costs about 0.2 ms instead of 4 ms, so polling
  is finer and does not steal CPU from the program being measured.
- Programs run with an explicit environment (``TERM``, ``COLORTERM``, ``LANG``, ``HOME`` and
  the XDG folders in a scratch folder), the same for the program and its anchor.
- Key latency waits for the WHOLE text typed so far, not a tail of it: keylat.py's six-letter
  tail of a repeating eight-letter word was already on screen from the 17th key on, so those
  keys measured ~0 ms.
- Memory is the peak RSS (``VmHWM``), read once the program has settled after its first screen
  (CPU time has stopped growing), not the RSS at the moment the marker showed.

Linux only (``/proc`` for memory and CPU time).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.002


def tmux_quote(arg: str) -> str:
    """Quote one argument for a tmux command line (double quotes; escape \\ " $ and ~)."""
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("~", "\\~") + '"'


class TmuxError(RuntimeError):
    pass


class Tmux:
    """A private tmux server, talked to over a control-mode client."""

    def __init__(self, scratch: Path) -> None:
        exe = shutil.which("tmux")
        if exe is None:
            raise TmuxError("tmux is not installed (apt-get install tmux)")
        self.exe = exe
        self.socket = f"cjmbench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.scratch = scratch
        self.home = scratch / "home"
        for sub in ("config", "data", "state"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        if "TMUX_TMPDIR" in os.environ:
            self.env["TMUX_TMPDIR"] = os.environ["TMUX_TMPDIR"]
        conf = scratch / "tmux.conf"
        # remain-on-exit: a program that dies keeps its last screen (its traceback) for the report.
        conf.write_text("set -g status off\nset -g history-limit 100\nset -g remain-on-exit on\n")
        base = [self.exe, "-L", self.socket, "-f", str(conf)]
        subprocess.run(
            [*base, "new-session", "-d", "-s", "base", "-x", "80", "-y", "24", "--", "sleep", "86400"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.ctl = subprocess.Popen(
            [*base, "-C", "attach-session", "-t", "base", "-f", "no-output,ignore-size"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            text=True,
            bufsize=1,
            encoding="utf-8",
            errors="replace",
        )
        self._read_block()  # the attach command's own (empty) block
        self._n = 0

    def _read_block(self) -> list[str]:
        assert self.ctl.stdout is not None
        out: list[str] = []
        inside = False
        while True:
            line = self.ctl.stdout.readline()
            if not line:
                raise TmuxError("tmux control client went away")
            line = line.rstrip("\n")
            if not inside:
                if line.startswith("%begin "):
                    inside = True
                continue  # a notification between blocks
            if line.startswith("%end ") or line.startswith("%error "):
                if line.startswith("%error "):
                    raise TmuxError("\n".join(out) or line)
                return out
            out.append(line)

    def cmd(self, *args: str) -> list[str]:
        """Run one tmux command; returns its output lines."""
        assert self.ctl.stdin is not None
        self.ctl.stdin.write(" ".join(tmux_quote(a) for a in args) + "\n")
        self.ctl.stdin.flush()
        return self._read_block()

    def start(
        self,
        argv: Sequence[str],
        *,
        size: tuple[int, int] = (120, 40),
        term: str = "xterm-256color",
        colorterm: str | None = "truecolor",
        cwd: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> Pane:
        """Start ``argv`` in a new pane. Returns at once; ``Pane.t0`` is when it was asked for."""
        self._n += 1
        name = f"run{self._n}"
        env = {"TERM": term, **({"COLORTERM": colorterm} if colorterm else {}), **(extra_env or {})}
        command = [
            "env",
            "-u",
            "COLORTERM",
            "-u",
            "NO_COLOR",
            "-u",
            "TMUX",
            *(f"{k}={v}" for k, v in env.items()),
            *argv,
        ]
        t0 = time.perf_counter()
        out = self.cmd(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            "-c",
            str(cwd or self.scratch),
            "-P",
            "-F",
            "#{pane_id} #{pane_pid}",
            "--",
            *command,
        )
        pane_id, pid = out[0].split()
        return Pane(self, name, pane_id, int(pid), t0)

    def close(self) -> None:
        try:
            socket = self.cmd("display-message", "-p", "#{socket_path}")
        except TmuxError:
            socket = []
        try:
            subprocess.run([self.exe, "-L", self.socket, "kill-server"], env=self.env, capture_output=True, timeout=10)
            if socket and socket[0]:  # tmux 3.3 leaves the socket file behind
                Path(socket[0]).unlink(missing_ok=True)
        finally:
            if self.ctl.poll() is None:
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
    def __init__(self, tmux: Tmux, name: str, pane_id: str, pid: int, t0: float) -> None:
        self.tmux, self.name, self.id, self.pid, self.t0 = tmux, name, pane_id, pid, t0

    def screen(self) -> str:
        return "\n".join(self.tmux.cmd("capture-pane", "-p", "-t", self.id))

    def wait(self, patterns: Iterable[str], timeout: float = 30.0, since: float | None = None) -> float:
        """Poll until every regex in ``patterns`` is on screen; seconds since ``since`` (or t0)."""
        rxs = [re.compile(p) for p in patterns]
        start = self.t0 if since is None else since
        while True:
            text = self.screen()
            if all(rx.search(text) for rx in rxs):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise TmuxError(f"{[rx.pattern for rx in rxs]} never showed in {timeout:.0f}s; screen:\n{text}")
            if not self.alive():
                raise TmuxError(
                    f"the program exited before {[rx.pattern for rx in rxs]} showed; screen:\n{self.screen()}"
                )
            time.sleep(POLL_S)

    def keys(self, *keys: str) -> None:
        self.tmux.cmd("send-keys", "-t", self.id, *keys)

    def type(self, text: str) -> None:
        self.tmux.cmd("send-keys", "-t", self.id, "-l", text)

    # The process ---------------------------------------------------------------------------------

    def pids(self) -> list[int]:
        """The pane's process and its descendants."""
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            todo.extend(int(c) for c in children)
        return found

    def alive(self) -> bool:
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
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

    def close(self, timeout: float = 10.0) -> None:
        """Kill the session (the program gets SIGHUP) and wait until the process is gone."""
        try:
            self.tmux.cmd("kill-session", "-t", self.name)
        except TmuxError:
            pass
        deadline = time.perf_counter() + timeout
        while self.alive() and time.perf_counter() < deadline:
            time.sleep(0.01)


# ---------------------------------------------------------------------------------------------
# The two measurements


@dataclass
class FirstScreen:
    ms: float  # wall clock, start to first screen
    cpu_ms: float  # CPU time the program had used by then: much less sensitive to a busy machine
    memory: Memory


def time_to_first_screen(tmux: Tmux, argv: Sequence[str], markers: Sequence[str], **start: object) -> FirstScreen:
    """Start ``argv``; ms until every marker regex shows; then its peak RSS once settled."""
    pane = tmux.start(argv, **start)  # type: ignore[arg-type]
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
    pane = tmux.start(argv, **start)  # type: ignore[arg-type]
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

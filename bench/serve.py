"""cjmtui serve's figures: from ``ssh`` to a participant's first screen, and what idle
participants cost.

Run: ``python bench/serve.py [-n 20] [--samples 10] [--fresh]`` (``--fresh``: each app a new
interpreter, not a fork of the preloaded process)

Starts the server of ``cjmtui serve`` (cjmtui.serve.server.RoomServer, with the real
participant app) in a process of its own on 127.0.0.1, then connects ``-n`` participants with
the OpenSSH client, each on a pseudo-terminal of its own (the room code typed by SSH_ASKPASS).
With them connected it measures, ``--samples`` times each:

- **anchor**: ``ssh … NAME@host true``: connection, key exchange, the room code, a channel
  (the server refuses the command at once), so the SSH part of a join on this machine;
- **first screen**: ``ssh -tt … NAME@host`` until the participant's top bar (``as NAME``) has
  arrived through the client's terminal.

Then **a note to every screen**: all ``-n`` participants open the pains screen's capture entry
and type ``--notes`` notes each, in bursts (a word at a time, a short pause between words, a
longer one between notes, all at once): from each Enter to the moment that note has reached
every other participant's terminal.

Then, all ``-n`` idle for ``--idle`` seconds: CPU of the server (with the preloaded process the
apps fork from) and of every participant's app (from /proc, as a share of one core) and memory
per participant app (RSS and PSS from /proc/PID/smaps_rollup: PSS counts the memory the forks
share with the preloaded process once). The facilitator's own app is not running here (it is what
``cjmtui FILE`` costs, bench/tui.py). A report: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # support.ssh: the ssh client as the tests run it
from support.ssh import ssh_argv as local_ssh  # noqa: E402

CODE = "bench-room-code"
ROWS = 60  # each participant's terminal: tall enough for every note typed (-n 20, --notes 2)
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78NOcM])")


def serve_only(port: int, session: Path, preload: bool = True) -> None:
    """The server alone, in this process, until SIGTERM."""
    sys.path.insert(0, str(ROOT / "src"))
    from cjmtui.core import files
    from cjmtui.serve.hostkey import host_key
    from cjmtui.serve.server import RoomServer

    key, _ = host_key(files.user_data_dir())
    server = RoomServer(session, code=CODE, host_key=key, port=port, bind="127.0.0.1", preload=preload)
    server.start()
    print("listening", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    server.end_room()


class Terminals:
    """Every participant's ssh on a pseudo-terminal; one thread reads them all (as a terminal would),
    and notes when each awaited text has first reached each terminal."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.text: dict[int, str] = {}
        self.lock = threading.Lock()
        self.running = True
        self.awaited: dict[str, set[int]] = {}  # a note's text -> the terminals it must reach
        self.arrived: dict[str, float] = {}  # a note's text -> when it had reached all of them
        threading.Thread(target=self._read, daemon=True).start()

    def await_text(self, text: str, fds: set[int]) -> None:
        with self.lock:
            self.awaited[text] = set(fds)

    def add(self, fd: int) -> None:
        with self.lock:
            self.text[fd] = ""
        self.selector.register(fd, selectors.EVENT_READ)

    def _read(self) -> None:
        while self.running:
            if not self.selector.get_map():
                time.sleep(0.01)
                continue
            for key, _ in self.selector.select(0.05):
                try:
                    data = os.read(key.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    self.selector.unregister(key.fd)
                    continue
                with self.lock:
                    chunk = data.decode("utf-8", "replace")
                    self.text[key.fd] = (self.text[key.fd] + chunk)[-20000:]
                    if self.awaited:  # what arrived, with a little before it (a text split across reads)
                        self._arrive(key.fd, self.text[key.fd][-(len(chunk) + 400) :])

    def _arrive(self, fd: int, recent: str) -> None:
        now = time.perf_counter()
        screen = ESCAPES.sub("", recent)
        for text, waiting in list(self.awaited.items()):
            if fd in waiting and text in screen:
                waiting.discard(fd)
                if not waiting:
                    self.arrived[text] = now
                    del self.awaited[text]

    def shows(self, fd: int, text: str) -> bool:
        with self.lock:
            return text in ESCAPES.sub("", self.text.get(fd, ""))


def ssh_argv(port: int, name: str, *extra: str) -> list[str]:
    return local_ssh(port, name, "-o", "PubkeyAuthentication=no", *extra)


def join(port: int, name: str, env: dict[str, str], terminals: Terminals) -> tuple[subprocess.Popen, int, float]:
    """Start a participant's ssh; returns (process, its terminal, seconds to the first screen)."""
    master, slave = os.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, 120, 0, 0))
    terminals.add(master)
    start = time.perf_counter()
    proc = subprocess.Popen(
        ssh_argv(port, name, "-tt"), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    while not terminals.shows(master, f"as {name}"):
        if proc.poll() is not None or time.perf_counter() - start > 60:
            raise SystemExit(f"{name} did not get a first screen: {terminals.text.get(master, '')[-500:]!r}")
        time.sleep(0.005)
    return proc, master, time.perf_counter() - start


def type_notes(
    fds: dict[str, int],
    terminals: Terminals,
    notes: int,
    pause: tuple[float, float],
    typists: int,
    session: Path,
    begin: Callable[[], None],
) -> tuple[list[float], list[float], list[tuple[float, float, float]]]:
    """Every participant types ``notes`` notes at once, in bursts; seconds from each Enter until
    the note is on every other participant's terminal. ``begin()`` is called once every screen
    shows the pains and its entry, just before the first word (so the CPU measured is typing and
    taking in notes, not twenty first draws of the pains screen)."""
    import random

    for fd in fds.values():
        os.write(fd, b"3")
    time.sleep(2)
    for fd in fds.values():
        os.write(fd, b"a")
    time.sleep(2)
    begin()
    sent: dict[str, float] = {}

    def typist(name: str, fd: int) -> None:
        rng = random.Random(name)
        time.sleep(rng.uniform(0, pause[1]))  # people start writing at their own moment
        for n in range(notes):
            text = f"{name} note {n} slow checkout"
            for word in text.split(" "):
                os.write(fd, (word + " ").encode())
                time.sleep(rng.uniform(0.15, 0.4))
            terminals.await_text(text, {other for other in fds.values() if other != fd})
            sent[text] = time.perf_counter()
            os.write(fd, b"\r")
            time.sleep(rng.uniform(*pause))

    on_disk: dict[str, float] = {}
    watching = True

    def watch() -> None:  # when each note is in the session file: the writer's save, apart
        while watching:
            data = session.read_text(encoding="utf-8", errors="replace")
            now = time.perf_counter()
            for text in list(sent):
                if text not in on_disk and text in data:
                    on_disk[text] = now
            time.sleep(0.01)

    threading.Thread(target=watch, daemon=True).start()
    threads = [threading.Thread(target=typist, args=item) for item in list(fds.items())[:typists]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.perf_counter() + 30
    while terminals.awaited and time.perf_counter() < deadline:
        time.sleep(0.1)
    missing = len(terminals.awaited)
    if missing:
        print(f"  {missing} notes had not reached every screen after 30 s")
    watching = False
    saved = [on_disk[text] - at for text, at in sent.items() if text in on_disk]
    reached = [terminals.arrived[text] - at for text, at in sent.items() if text in terminals.arrived]
    first = min(sent.values(), default=0.0)
    each = sorted(
        (at - first, on_disk.get(text, at - 1) - at, terminals.arrived.get(text, at - 1) - at)
        for text, at in sent.items()
    )
    return reached, saved, each


def anchor(port: int, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(ssh_argv(port, "Anchor", "true"), env=env, stdin=subprocess.DEVNULL, capture_output=True)
    return time.perf_counter() - start


def machine_busy() -> float:
    """Seconds of CPU the whole machine has spent busy (every process, /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    return [int(a) for a, b in (line.split() for line in out.splitlines()) if int(b) == pid]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="participants connected (default 20)")
    parser.add_argument("--samples", type=int, default=10, help="joins and anchors timed (default 10)")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle measured (default 20)")
    parser.add_argument("--notes", type=int, default=2, help="notes each participant types (default 2)")
    parser.add_argument("--typists", type=int, default=0, help="how many of them type (default: all)")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(4.0, 12.0),
        metavar=("LOW", "HIGH"),
        help="seconds each participant waits between notes, at random in between (default 4 12)",
    )
    parser.add_argument("--each", action="store_true", help="also print every note's two times")
    parser.add_argument("--fresh", action="store_true", help="start each app afresh, not from the preloaded process")
    parser.add_argument("--serve-only", nargs=2, metavar=("PORT", "SESSION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_only:
        serve_only(int(args.serve_only[0]), Path(args.serve_only[1]), preload=not args.fresh)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session = folder / "online-ordering.toml"
        shutil.copyfile(ROOT / "sessions" / "online-ordering.toml", session)
        askpass = folder / "askpass.sh"
        askpass.write_text(f"#!/bin/sh\necho {CODE}\n")
        askpass.chmod(0o700)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
            "LANG": "C.UTF-8",
        }
        server_env = {**base, "PYTHONPATH": str(ROOT / "src")}
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve-only", str(port), str(session), *(["--fresh"] if args.fresh else [])],
            env=server_env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        server.stdout.readline()
        env = {**base, "TERM": "xterm-256color", "SSH_ASKPASS": str(askpass), "SSH_ASKPASS_REQUIRE": "force"}
        terminals = Terminals()
        clients: list[subprocess.Popen] = []
        fds: dict[str, int] = {}
        try:
            for i in range(args.n):
                proc, fd, _seconds = join(port, f"P{i:02d}", env, terminals)
                clients.append(proc)
                fds[f"P{i:02d}"] = fd
            print(f"{args.n} participants connected")
            anchors, firsts = [], []
            for i in range(args.samples):
                anchors.append(anchor(port, env))
                proc, _fd, seconds = join(port, f"Timed{i:02d}", env, terminals)
                firsts.append(seconds)
                proc.terminate()
                proc.wait()
                time.sleep(0.5)  # its app saves and leaves before the next
            time.sleep(3)
            every = [server.pid, *children(server.pid)]
            every += [app for pid in every[1:] for app in children(pid)]
            cpu_before: dict[int, float] = {}
            typing_start, busy_before = time.perf_counter(), machine_busy()

            def begin() -> None:
                nonlocal typing_start, busy_before
                cpu_before.update({pid: cpu_seconds(pid) for pid in every})
                typing_start, busy_before = time.perf_counter(), machine_busy()

            reached, saved, each = (
                type_notes(fds, terminals, args.notes, tuple(args.pause), args.typists or args.n, session, begin)
                if args.notes
                else ([], [], [])
            )
            if not cpu_before:
                begin()
            typing_spent = time.perf_counter() - typing_start
            machine = (machine_busy() - busy_before) / typing_spent
            typing_cpu = sum(cpu_seconds(pid) - cpu_before[pid] for pid in every if Path(f"/proc/{pid}").exists())
            server_typing = (cpu_seconds(server.pid) - cpu_before[server.pid]) / typing_spent
            time.sleep(3)
            # The apps fork from the preloaded process (a child of the server); without it they
            # are the server's own children.
            helpers = children(server.pid)
            apps = [app for helper in helpers for app in children(helper)] or helpers
            helpers = [h for h in helpers if h not in apps]
            before = {pid: cpu_seconds(pid) for pid in [server.pid, *helpers, *apps]}
            start = time.perf_counter()
            time.sleep(args.idle)
            spent = time.perf_counter() - start
            after = {pid: cpu_seconds(pid) for pid in before}
            mem = [memory(pid) for pid in apps]
            server_cpu = sum(after[p] - before[p] for p in [server.pid, *helpers]) / spent * 100
            apps_cpu = sum(after[p] - before[p] for p in apps) / spent * 100
            print(f"with {args.n} participants connected ({args.samples} samples each):")
            print(
                f"  anchor  ssh … true:      median {statistics.median(anchors):.2f} s, "
                f"p95 {percentile(anchors, 0.95):.2f} s"
            )
            print(
                f"  ssh to the first screen: median {statistics.median(firsts):.2f} s, "
                f"p95 {percentile(firsts, 0.95):.2f} s (targets 1.0 s, 2 s)"
            )
            if reached:
                print(
                    f"  Enter to every other screen, {len(reached)} notes by {args.typists or args.n} typing at once: "
                    f"median {statistics.median(reached):.2f} s, p95 {percentile(reached, 0.95):.2f} s (target p95 1 s)"
                )
                if saved:
                    print(
                        f"  of which Enter to the note in the file (the writer's save): "
                        f"median {statistics.median(saved):.2f} s, p95 {percentile(saved, 0.95):.2f} s"
                    )
                if args.each:  # (-1: never)
                    print("  every note: Enter at (s), to the file, to every other screen")
                    for at, to_file, to_screens in each:
                        print(f"    {at:6.2f}  {to_file:5.2f}  {to_screens:5.2f}")
                print(
                    f"  while typing: {len(reached) / typing_spent:.1f} notes a second; server and apps used "
                    f"{typing_cpu / typing_spent:.2f} cores, {typing_cpu / max(1, len(reached)) * 1000:.0f} ms "
                    f"of CPU a note (the server {server_typing:.2f} of a core); "
                    f"the whole machine {machine:.2f} of its {os.cpu_count()} cores (the ssh "
                    "clients and this script's terminals too)"
                )
            print(f"idle, {len(apps)} participant apps over {spent:.0f} s:")
            print(f"  CPU: server {server_cpu:.2f}% of a core, apps {apps_cpu:.2f}% in all (target <= 10%)")
            for helper in helpers:
                rss, pss = memory(helper)
                print(f"  the preloaded process: RSS {rss / 1024:.0f} MB, PSS {pss / 1024:.0f} MB")
            if mem:
                rss = statistics.mean(m[0] for m in mem) / 1024
                pss = statistics.mean(m[1] for m in mem) / 1024
                print(
                    f"  memory per participant app: RSS {rss:.0f} MB, PSS {pss:.0f} MB; "
                    f"all {len(mem)}: RSS {sum(m[0] for m in mem) / 1024:.0f} MB, "
                    f"PSS {sum(m[1] for m in mem) / 1024:.0f} MB"
                )
        finally:
            for proc in clients:
                proc.terminate()
            server.terminate()
            server.wait(60)
            terminals.running = False
    return 0


if __name__ == "__main__":
    sys.exit(main())

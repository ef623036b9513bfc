"""A participant's app started from a preloaded process (``cjmtui serve``).

Python importing Textual and the UI takes most of a participant's wait between ``ssh`` and their
first screen (0.8 s of CPU on a 2-core machine, bench/serve.py). This process imports all of it
once, when the server starts, and then forks one app per participant: the server sends it a
request (the command line, the environment, the folder) with the participant's pseudo-terminal
over a Unix socket; the fork makes that terminal its controlling terminal and runs
``cjmtui join FILE --as NAME --restricted`` as the command would. The forks share the imported
code's memory with this process (copy on write, ``gc.freeze`` first).

Run by :mod:`cjmtui.serve.server` as ``python -m cjmtui.cli.preload FD``; it ends when the
server closes its end of the socket.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import json
import os
import signal
import socket
import sys
import termios
import traceback
from typing import Any


def _reap(_signum: int = 0, _frame: Any = None) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def _run_app(request: dict[str, Any], terminal: int) -> int:
    """In the fork: the participant's terminal as this process's own, then the app."""
    os.setsid()
    with contextlib.suppress(OSError):
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
    for target in (0, 1, 2):
        os.dup2(terminal, target)
    if terminal > 2:
        os.close(terminal)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    for name, fd, mode in (("stdin", 0, "r"), ("stdout", 1, "w"), ("stderr", 2, "w")):
        stream = open(fd, mode, buffering=1, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    from . import main

    return main(list(request["argv"]))


def serve(fd: int) -> int:
    from ..ui import app as _app  # noqa: F401  (the point: imported once, shared by every fork)
    from ..ui import main as _main  # noqa: F401
    from ..ui.screens import SCREENS

    for spec in SCREENS.values():
        with contextlib.suppress(Exception):
            importlib.import_module(f"cjmtui.ui.screens.{spec.module}")
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # The server's "the file changed" poke (RoomServer._watch_file): ignored until the app is up
    # and listens for it (CjmApp.on_mount), so a poke during a fork's start-up is harmless.
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    sock = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(sock, 65536, 1)
        except InterruptedError:
            continue
        if not message:
            return 0
        if not fds:
            continue
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                sock.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGHUP, signal.SIG_DFL)
                gc.disable()  # as cjmtui/__main__.py starts: the app turns it on once drawn
                code = _run_app(request, fds[0])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                with contextlib.suppress(Exception):
                    traceback.print_exc()
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        os.close(fds[0])
        sock.sendall(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))

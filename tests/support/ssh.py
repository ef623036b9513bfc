"""The OpenSSH client as the tests and bench/serve.py run it against a server of their own on
127.0.0.1: its host key is new each run, so it is never checked nor kept, and only errors print."""

from __future__ import annotations

import shutil

LOCAL = ("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR")


def ssh_argv(port: int, user: str, *options: str, ssh: str | None = None) -> list[str]:
    """``ssh -p PORT … OPTIONS USER@127.0.0.1`` (a remote command, if any, goes after it)."""
    return [ssh or shutil.which("ssh") or "ssh", "-p", str(port), *LOCAL, *options, f"{user}@127.0.0.1"]

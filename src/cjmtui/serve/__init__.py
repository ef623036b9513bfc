"""``cjmtui serve``: the session over SSH, for participants who have nothing but an SSH client.

The facilitator's app runs in this terminal exactly as ``cjmtui FILE`` does; an SSH server made
with asyncssh (:mod:`cjmtui.serve.server`) lets each participant in with the room code and starts
their own restricted app (``cjmtui join FILE --as NAME --restricted``) on a pseudo-terminal.

This package may import asyncssh (the ``serve`` extra) and never imports textual: the
participants' apps are child processes, and the facilitator's app is the CLI's business.
"""

from __future__ import annotations

INSTALL_LINE = 'pip install "cjmtui[serve]"'

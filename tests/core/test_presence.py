"""Who is here (issue 12): a heartbeat file per person beside the session; a stale one is
someone whose link dropped; leaving removes it (and the folder, when the last one leaves)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from cjmtui.core import presence


def test_who_is_here_and_who_dropped(tmp_path: Path) -> None:
    session = tmp_path / "w.toml"
    session.write_text("")
    assert presence.here(session) == []
    presence.beat(session, None)
    presence.beat(session, "Ana")
    presence.beat(session, "bo \x1b[31m")  # any name, shown literally
    assert presence.here(session) == ["facilitator", "Ana", "bo ␛[31m"]
    # Bo's link drops: no more beats; after STALE_AFTER seconds he is no longer here.
    (bo,) = [e for e in os.scandir(presence.folder(session)) if "bo" in Path(e.path).read_text()]
    old = time.time() - presence.STALE_AFTER - 1
    os.utime(bo.path, (old, old))
    assert presence.here(session) == ["facilitator", "Ana"]
    presence.leave(session, "Ana")
    presence.leave(session, None)
    os.unlink(bo.path)
    presence.leave(session, "nobody")
    assert not presence.folder(session).exists(), "the last one out removes the folder"


def test_a_read_only_place_is_no_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "w.toml"
    presence.beat(missing, "Ana")  # nothing written, nothing raised
    assert presence.here(missing) == []

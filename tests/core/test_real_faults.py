"""Real faults, not patched ones: a full filesystem (a small tmpfs) and a read-only bind mount.

They need root and ``mount`` (CI runs as root on a machine that allows both); elsewhere they skip
and the patched versions in test_store.py still run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjmtui.core.edit import add_item
from cjmtui.core.files import save_as_target
from cjmtui.core.store import load_session
from cjmtui.core.workspace import Workspace
from factories import EXAMPLES


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True, timeout=30).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True, timeout=30)


def _add(ws: Workspace, text: str) -> None:
    stage = ws.session.stages[0].id
    ws.history.apply("add", add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=None)[0])


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)):
        pytest.skip("needs root and mount to make a real full filesystem (a small tmpfs)")
    try:
        yield disk
    finally:
        _umount(disk)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    shutil.copyfile(EXAMPLES / "online-ordering.toml", source / "s.toml")
    if not _mount("--bind", str(source), str(view)):
        pytest.skip("needs root and mount for a real read-only bind mount")
    try:
        if not _mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("this machine does not allow a read-only bind mount")
        yield view / "s.toml"
    finally:
        _umount(view)


def test_a_real_full_disk_keeps_the_old_file_and_every_note(small_disk: Path) -> None:
    path = small_disk / "s.toml"
    shutil.copyfile(EXAMPLES / "online-ordering.toml", path)
    before = path.read_bytes()
    ws = Workspace.open(path)
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # take every free block
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    _add(ws, "typed while the disk was full")
    result = ws.save()
    assert not result.ok and "No space left" in result.message, result.message
    assert path.read_bytes() == before, "the file on disk changed"
    assert not [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")], "a temp file was left"
    assert ws.dirty and "typed while the disk was full" in {p.text for p in ws.session.pains}
    filler.unlink()
    assert ws.save().ok, "the save did not succeed once space was back"
    assert "typed while the disk was full" in {p.text for p in load_session(path).session.pains}


def test_a_real_read_only_folder_keeps_the_notes_in_a_rescue_copy_or_elsewhere(read_only: Path, tmp_path: Path) -> None:
    before = read_only.read_bytes()
    ws = Workspace.open(read_only)
    _add(ws, "typed in a read-only room")
    assert not ws.save().ok
    assert read_only.read_bytes() == before
    rescue = ws.rescue()
    assert rescue is not None and rescue.parent != read_only.parent, rescue
    assert "typed in a read-only room" in {p.text for p in load_session(rescue).session.pains}
    (tmp_path / "mine").mkdir()
    assert ws.save_as(save_as_target(read_only.parent, str(tmp_path / "mine" / "s"))).ok
    assert "typed in a read-only room" in {p.text for p in load_session(tmp_path / "mine" / "s.toml").session.pains}

"""Issue 21 A4, A5 on the command line: export and schema output onto a pipe or a device is
written to as it is (never replaced by a file); merge-driver and rollup --map never wait on a
FIFO, refuse what is too large, and give one clear error for a huge integer.

Run as real processes with a timeout (a hang is a failure, not a stuck suite). The FIFOs and
device nodes are made in the test's own temp folder; no real device is ever written to or
replaced (as root, a null device node is made in the temp folder with mknod; otherwise a link
to /dev/null is used, which a non-root process cannot replace).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from factories import EXAMPLES

SESSION = str(EXAMPLES / "online-ordering.toml")


def _cjmtui(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cjmtui", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _read_all(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as fh:
            into.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


def _unblock(fifo: Path) -> None:
    """Let a reader stuck on ``fifo`` (when the writer never came) go."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_export_onto_a_fifo_writes_into_the_pipe_and_leaves_it_a_pipe(tmp_path):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_all(fifo, got)
    try:
        run = _cjmtui("export", SESSION, "--format", "md", "-o", str(fifo))
        reader.join(30)
    finally:
        _unblock(fifo)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got and got[0].startswith(b"#"), "the reader got nothing"


def test_export_onto_a_fifo_nobody_reads_is_a_clear_error_not_a_hang(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    run = _cjmtui("export", SESSION, "--format", "csv", "-o", str(fifo), timeout=30)
    assert run.returncode != 0
    assert "nobody is reading" in run.stderr and "Traceback" not in run.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def _device_in(tmp_path: Path) -> Path:
    """A character device to write to that no test can harm: a null device node made here (as
    root), else a link to /dev/null (which a non-root process cannot replace)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.close(os.open(node, os.O_WRONLY))
        return node
    except OSError:
        node.unlink(missing_ok=True)
    if os.geteuid() == 0:
        pytest.skip("root without mknod (or a nodev temp folder): no device this test may write to")
    return Path("/dev/null")


@pytest.mark.parametrize("command", ["schema", "export"])
def test_output_through_a_link_to_a_device_writes_to_it_and_replaces_nothing(tmp_path, command):
    """`-o /dev/full` and `-o /dev/stdout` replaced the device and the link with regular files."""
    device = _device_in(tmp_path)
    before = os.stat(device)
    link = tmp_path / "out"
    link.symlink_to(device)
    args = (
        ["schema", "-o", str(link)] if command == "schema" else ["export", SESSION, "--format", "json", "-o", str(link)]
    )
    run = _cjmtui(*args)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink(), "the link was replaced"
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev), (
        "the device was replaced by a regular file"
    )
    direct = _cjmtui(*args[:-1], str(device))
    assert direct.returncode == 0 and stat.S_ISCHR(os.stat(device).st_mode)


def test_export_onto_a_folder_is_refused(tmp_path):
    run = _cjmtui("export", SESSION, "--format", "md", "-o", str(tmp_path))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert tmp_path.is_dir()


# A5: reading -------------------------------------------------------------------------------------


def _merge_driver_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    base, ours, other = (tmp_path / n for n in ("base.toml", "ours.toml", "other.toml"))
    for f in (base, ours):
        f.write_bytes(Path(SESSION).read_bytes())
    return base, ours, other


def test_merge_driver_with_a_fifo_never_hangs(tmp_path):
    base, ours, other = _merge_driver_files(tmp_path)
    os.mkfifo(other)
    before = ours.read_bytes()
    try:
        run = _cjmtui("merge-driver", str(base), str(ours), str(other), "s.toml", timeout=30)
    finally:
        _unblock(other)
    assert run.returncode != 0
    assert "not a regular file" in run.stderr and "Traceback" not in run.stderr
    assert ours.read_bytes() == before


def test_merge_driver_refuses_a_file_over_the_size_limit(tmp_path):
    base, ours, other = _merge_driver_files(tmp_path)
    with open(other, "wb") as fh:  # sparse: 17 MiB on paper, nothing on disk
        fh.truncate(17 * 1024 * 1024)
    before = ours.read_bytes()
    run = _cjmtui("merge-driver", str(base), str(ours), str(other), "s.toml")
    assert run.returncode != 0
    assert "too large" in run.stderr and "Traceback" not in run.stderr
    assert ours.read_bytes() == before


def test_rollup_map_a_fifo_never_hangs(tmp_path):
    fifo = tmp_path / "map.toml"
    os.mkfifo(fifo)
    try:
        run = _cjmtui("rollup", SESSION, str(EXAMPLES / "trade-account-billing.toml"), "--map", str(fifo), timeout=30)
    finally:
        _unblock(fifo)
    assert run.returncode != 0
    assert "not a mapping file" in run.stderr and "Traceback" not in run.stderr


def test_rollup_map_with_a_5000_digit_integer_is_one_clear_error(tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text(f"[[same]]\nprocesses = [{'9' * 5000}]\n")
    run = _cjmtui("rollup", SESSION, str(EXAMPLES / "trade-account-billing.toml"), "--map", str(mapping))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert str(mapping) in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "md", "json"])
def test_an_export_never_replaces_another_session(tmp_path, fmt):
    """Issue 21, item 13: ``cjmtui export A.toml --format xlsx -o B.toml`` with B another
    session is refused with one clear line; B is left byte for byte, and no backup is needed."""
    other = tmp_path / "other-workshop.toml"
    other.write_bytes((EXAMPLES / "trade-account-billing.toml").read_bytes())
    before = other.read_bytes()
    run = _cjmtui("export", SESSION, "--format", fmt, "-o", str(other))
    assert run.returncode == 1
    assert "is a cjmtui session" in run.stderr and "Traceback" not in run.stderr
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-workshop.toml"]


def test_an_export_over_an_earlier_export_keeps_the_previous_one_as_bak(tmp_path):
    """Replacing an existing file (not a session) keeps its previous version as NAME.bak, as
    the store does for sessions."""
    out = tmp_path / "quick-wins.md"
    out.write_text("the write-up from last week\n", "utf-8")
    run = _cjmtui("export", SESSION, "--format", "md", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text("utf-8") != "the write-up from last week\n"
    assert (tmp_path / "quick-wins.md.bak").read_text("utf-8") == "the write-up from last week\n"

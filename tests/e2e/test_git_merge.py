"""Sessions in git (issue 12): two facilitators edit one workshop in two clones, and ``git merge``
with cjmtui's merge driver gives a valid session with both sets of notes and no conflict
markers; a true conflict keeps one value in the file, the other on stderr and in the parking
lot; a file added on both sides (no common ancestor) merges too; an unreadable side stops the
merge (git then reports a conflict) without writing anything."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from cjmtui.core.edit import add_item, update_item
from cjmtui.core.store import dumps_session, load_session, parse_session
from factories import workshop
from support.needs import needs
from support.tmux import cjmtui_command

pytestmark = needs("git")

FILE = "workshop.toml"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        "GIT_AUTHOR_NAME": "Facilitator",
        "GIT_AUTHOR_EMAIL": "f@example.org",
        "GIT_COMMITTER_NAME": "Facilitator",
        "GIT_COMMITTER_EMAIL": "f@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(repo),
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check)


def install_driver(repo: Path) -> None:
    """The README's two lines: .gitattributes (committed) and the driver (per clone)."""
    driver = " ".join(shlex.quote(part) for part in cjmtui_command()) + " merge-driver %O %A %B %P"
    git(repo, "config", "merge.cjmtui.name", "cjmtui session merge")
    git(repo, "config", "merge.cjmtui.driver", driver)


def write(repo: Path, session) -> None:
    (repo / FILE).write_text(dumps_session(session), "utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def two_clones(tmp_path: Path) -> tuple[Path, Path]:
    """An office's repository with one session, and a second office's clone of it."""
    first = tmp_path / "berlin"
    first.mkdir()
    git(first, "init", "-q", "-b", "main")
    (first / ".gitattributes").write_text("*.toml merge=cjmtui\n", "utf-8")
    write(first, workshop())
    commit(first, "the workshop")
    second = tmp_path / "lisbon"
    git(tmp_path, "clone", "-q", str(first), str(second))
    for repo in (first, second):
        install_driver(repo)
    return first, second


def test_git_merge_of_two_facilitators_notes_keeps_both_without_markers(two_clones) -> None:
    berlin, lisbon = two_clones
    base = workshop()
    ours, berlin_pain = add_item(
        base, "pains", {"stage": "find", "text": "Berlin: the catalogue is German only"}, actor=None
    )
    ours, _ = update_item(ours, "pains", "on-hold", {"severity": 5}, actor=None)
    write(berlin, ours)
    commit(berlin, "Berlin's notes")
    theirs, lisbon_pain = add_item(base, "pains", {"stage": "order", "text": "Lisbon: no VAT number field"}, actor=None)
    theirs, lisbon_fix = add_item(
        theirs, "solutions", {"text": "Add a VAT field", "targets": ["order-entry"]}, actor=None
    )
    write(lisbon, theirs)
    commit(lisbon, "Lisbon's notes")

    git(berlin, "pull", "-q", "--no-rebase", str(lisbon), "main")  # the merge driver runs here

    text = (berlin / FILE).read_text("utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    merged = load_session(berlin / FILE).session
    texts = {p.text for p in merged.pains}
    assert {berlin_pain.text, lisbon_pain.text} <= texts
    assert lisbon_fix.id in {s.id for s in merged.solutions}
    assert next(p for p in merged.pains if p.id == "on-hold").severity == 5
    assert git(berlin, "status", "--porcelain").stdout == ""  # merged and committed: no conflict


def test_a_true_conflict_keeps_ours_and_reports_theirs_on_stderr_and_in_the_parking_lot(two_clones) -> None:
    berlin, lisbon = two_clones
    base = workshop()
    write(berlin, update_item(base, "pains", "on-hold", {"text": "On hold 25 minutes"}, actor=None)[0])
    commit(berlin, "Berlin rewords")
    write(lisbon, update_item(base, "pains", "on-hold", {"text": "On hold for ages, then cut off"}, actor=None)[0])
    commit(lisbon, "Lisbon rewords")

    pulled = git(berlin, "pull", "--no-rebase", str(lisbon), "main")
    assert "conflict in pains[on-hold].text" in pulled.stderr + pulled.stdout
    merged = load_session(berlin / FILE).session
    assert next(p for p in merged.pains if p.id == "on-hold").text == "On hold 25 minutes"
    (parked,) = [p for p in merged.parking if "Merge conflict" in p.text]
    assert "On hold for ages, then cut off" in parked.text
    assert git(berlin, "status", "--porcelain").stdout == ""


def test_a_session_added_on_both_sides_merges_with_no_common_ancestor(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    git(one, "init", "-q", "-b", "main")
    (one / ".gitattributes").write_text("*.toml merge=cjmtui\n", "utf-8")
    commit(one, "attributes")
    git(tmp_path, "clone", "-q", str(one), str(two))
    for repo in (one, two):
        install_driver(repo)
    mine, a = add_item(workshop(), "pains", {"stage": "find", "text": "One: search is slow"}, actor=None)
    write(one, mine)
    commit(one, "one's session")
    yours, b = add_item(workshop(), "pains", {"stage": "find", "text": "Two: search is slow too"}, actor=None)
    write(two, yours)
    commit(two, "two's session")

    pulled = git(one, "pull", "--no-rebase", str(two), "main", check=False)
    assert pulled.returncode == 0, pulled.stderr
    merged = load_session(one / FILE).session
    assert {a.text, b.text} <= {p.text for p in merged.pains}
    assert len({p.id for p in merged.pains}) == len(merged.pains)


def test_an_unreadable_side_stops_the_merge_and_writes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "current.toml"
    good.write_text(dumps_session(workshop()), "utf-8")
    broken = tmp_path / "other.toml"
    broken.write_text('[session]\ntitle = "unterminated\n', "utf-8")
    base = tmp_path / "base.toml"
    base.write_text(dumps_session(workshop()), "utf-8")
    before = good.read_bytes()
    run = subprocess.run(
        [*cjmtui_command(), "merge-driver", str(base), str(good), str(broken), "sessions/x.toml"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "sessions/x.toml (the branch being merged)" in run.stderr and "Traceback" not in run.stderr
    assert good.read_bytes() == before
    assert parse_session(good.read_text("utf-8")) == workshop()

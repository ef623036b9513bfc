"""Loading and ranking pause the garbage collector and always leave it as they found it."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from cjmtui.core import collector, scoring, store, tomlio
from cjmtui.core.errors import SessionFileError

EXAMPLES = Path(__file__).resolve().parents[2] / "sessions"


@pytest.fixture(autouse=True)
def restore_collector():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_while_inside_and_on_again_after_even_on_error() -> None:
    gc.enable()
    with pytest.raises(SessionFileError), collector.paused():
        assert not gc.isenabled()
        store.parse_session("not = [valid")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_loading_and_ranking_run_paused_and_restore_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # A comment at the end: a file this process has not read (its last block is parsed again).
    text = (EXAMPLES / "online-ordering.toml").read_text("utf-8") + "\n# read for the first time\n"
    parsing: list[bool] = []
    ranking: list[bool] = []
    loads, graph = tomlio.loads, scoring.Graph

    def spy_loads(text: str) -> dict:
        parsing.append(gc.isenabled())
        return loads(text)

    def spy_graph(*args, **kwargs) -> scoring.Graph:
        ranking.append(gc.isenabled())
        return graph(*args, **kwargs)

    monkeypatch.setattr(tomlio, "loads", spy_loads)
    monkeypatch.setattr(scoring, "Graph", spy_graph)
    gc.enable()
    scoring.rank(store.parse_session(text))
    assert parsing and ranking, "neither parsed nor ranked: the spies are not where the work is"
    assert not any(parsing + ranking), "the collector was on while a session was loaded or ranked"
    assert gc.isenabled()


def test_overlapping_threads_switch_it_back_on_only_when_the_last_one_leaves() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled(), "the first thread is still inside"
    release.set()
    thread.join(5)
    assert gc.isenabled()

"""Reading a session file again parses only the blocks it has not met (store._from_known_blocks).

Twenty participants' apps each take in every note of the room: each read used to parse and check
the whole file. What matters to a user: every read gives exactly what parsing the whole file
gives, whatever the file holds, and a broken file still gets its one clear error with its place.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core import store, tomlio
from cjmtui.core.edit import add_item
from cjmtui.core.errors import SessionFileError
from factories import CORE, EXAMPLES, sessions


def whole(text: str) -> store.Session:
    """What parsing the whole file gives (the path taken before blocks were remembered)."""
    return store.session_from_data(tomlio.loads(text), "<text>")


@CORE
@given(sessions(), st.data())
def test_a_file_read_again_after_a_note_is_what_the_whole_file_says(session, data):
    first = store.dumps_session(session)
    assert store.parse_session(first) == whole(first)
    if session.stages:
        stage = data.draw(st.sampled_from(session.stages)).id
        text = data.draw(st.text(min_size=1, max_size=40).filter(str.strip))
        session, _ = add_item(session, "pains", {"stage": stage, "text": text}, actor=None)
    again = store.dumps_session(session)
    assert store.parse_session(again) == whole(again)


def test_only_the_new_block_is_parsed_when_the_file_is_read_again(monkeypatch):
    session = store.parse_session((EXAMPLES / "online-ordering.toml").read_text(encoding="utf-8"))
    store.parse_session(store.dumps_session(session))  # the file as the app saves it, read once
    added, note = add_item(session, "pains", {"stage": session.stages[0].id, "text": "Ben's"}, actor="Ben")
    again = store.dumps_session(added)
    for key in [k for k, (_, item) in store._KNOWN.items() if item is note]:  # written by someone else
        del store._KNOWN[key]
    parsed: list[str] = []
    real = tomlio.loads
    monkeypatch.setattr(tomlio, "loads", lambda t: parsed.append(t) or real(t))
    assert store.parse_session(again) == added
    assert len(parsed) == 1 and "Ben's" in parsed[0] and parsed[0].lstrip().startswith("[[pains]]")


TRICKY = {
    # A header line inside a multi-line string is words, not a new item.
    "header in a multi-line string": (
        '[session]\ntitle = "t"\n\n[[stages]]\nid = "a"\nname = "A"\n\n[[pains]]\nid = "p"\nstage = "a"\n'
        'text = """one\n[[pains]]\nid = "q"\n"""\n\n[[pains]]\nid = "r"\nstage = "a"\ntext = "two"\n'
    ),
    # A table after the items belongs to the file, not to the last item.
    "a table after the items": (
        '[[stages]]\nid = "a"\nname = "A"\n\n[[pains]]\nid = "p"\nstage = "a"\ntext = "x"\n\n'
        '[session]\ntitle = "late"\n'
    ),
    # ``pains = []`` and [[pains]]: not valid TOML.
    "an array and blocks of one table": (
        'pains = []\n\n[[stages]]\nid = "a"\nname = "A"\n\n[[pains]]\nid = "p"\nstage = "a"\ntext = "x"\n'
    ),
    # A sub-table of an item: not in the schema.
    "a sub-table of an item": (
        '[[stages]]\nid = "a"\nname = "A"\n\n[[pains]]\nid = "p"\nstage = "a"\ntext = "x"\n[pains.more]\nx = 1\n'
    ),
    "a dangling reference": ('[[stages]]\nid = "a"\nname = "A"\n\n[[pains]]\nid = "p"\nstage = "zz"\ntext = "x"\n'),
    "two items with one id": (
        '[[stages]]\nid = "a"\nname = "A"\n\n[[stages]]\nid = "a"\nname = "B"\n\n'
        '[[pains]]\nid = "p"\nstage = "a"\ntext = "x"\n'
    ),
    "windows line ends": (
        '[session]\r\ntitle = "t"\r\n\r\n[[stages]]\r\nid = "a"\r\nname = "A"\r\n\r\n'
        '[[pains]]\r\nid = "p"\r\nstage = "a"\r\ntext = "x"\r\n'
    ),
}


@pytest.mark.parametrize("name", TRICKY)
def test_a_file_not_in_the_writers_layout_reads_as_the_whole_file_says(name):
    """Read twice (the second time its blocks are known): the same session as the whole file's
    parse, or the same one error."""
    text = TRICKY[name]
    try:
        expected: object = whole(text)
    except (SessionFileError, tomlio.TOMLDecodeError) as exc:
        expected = type(exc)
    for _ in range(2):
        try:
            got: object = store.parse_session(text)
        except SessionFileError as exc:
            got = type(exc)
            assert str(exc)  # one clear error
        if expected is tomlio.TOMLDecodeError:
            assert got is SessionFileError
        else:
            assert got == expected


def test_a_file_met_for_the_first_time_is_parsed_whole(monkeypatch):
    """Opening a big session is as quick as before: its blocks are not parsed one by one."""
    session = store.parse_session((EXAMPLES / "online-ordering.toml").read_text(encoding="utf-8"))
    for n in range(200):
        session, _ = add_item(session, "pains", {"stage": session.stages[n % 3].id, "text": f"note {n}"}, actor=None)
    text = store.dumps_session(session)  # every block registered as written here
    expected = whole(text)
    store._KNOWN.clear()  # ...as if written by someone else
    parsed: list[str] = []
    real = tomlio.loads
    monkeypatch.setattr(tomlio, "loads", lambda t: parsed.append(t) or real(t))
    assert store.parse_session(text) == expected
    assert parsed.count(text) == 1 and len(parsed) <= store.COLD_BLOCKS + 2, len(parsed)

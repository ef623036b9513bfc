"""Random sessions and random edits through the core API (what the TUI and scripts call).

After every step: the session is valid (no dangling reference), it saves and loads back equal,
ranking finishes, and nothing raises but the documented ``EditError``. Undo walks back exactly.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from cjmtui.core import edit, links, undo, voting
from cjmtui.core.errors import EditError
from cjmtui.core.friction import stage_friction
from cjmtui.core.model import TABLES, reference_problems
from cjmtui.core.scoring import rank
from cjmtui.core.store import dumps_session, parse_session
from factories import CORE, raw_text, sessions

TEXT = raw_text(3)
ANY_VALUE = st.one_of(
    st.integers(-10, 10), st.floats(allow_nan=True), st.booleans(), TEXT, st.none(), st.lists(TEXT, max_size=3)
)
EDITABLE = {
    "departments": ["name", "role"],
    "personas": ["name", "description", "goals"],
    "stages": ["name", "phase", "customer_goal", "touchpoints", "owners", "emotion"],
    "pains": ["text", "severity", "frequency", "kind", "evidence", "personas", "caused_by", "stage"],
    "processes": ["name", "owner", "systems", "feeds", "stage"],
    "solutions": ["text", "targets", "effort", "confidence", "status", "votes", "owner"],
    "participants": ["name"],
    "parking": ["text", "status", "stage"],
}


class EditMachine(RuleBasedStateMachine):
    @initialize(session=sessions())
    def start(self, session):
        self.history = undo.History(session)
        self.snapshots = [session]

    @property
    def session(self):
        return self.history.session

    def _try(self, label, fn, *args):
        before = self.session
        try:
            result = fn(before, *args, actor=None)  # the facilitator (tests/core/test_actor.py: participants)
        except EditError:
            assert self.session is before  # a refused edit changes nothing
            return
        new = result[0] if isinstance(result, tuple) else result
        if new is before or new == before:
            return  # nothing changed (e.g. the voter already existed): no undo step either
        self.history.apply(label, new)
        self.snapshots.append(new)

    def _pick(self, data, table):
        items = getattr(self.session, table)
        return data.draw(st.sampled_from(items)).id if items else "no-such-id"

    @rule(table=st.sampled_from(list(TABLES)), text=TEXT, data=st.data())
    def add(self, table, text, data):
        fields = {"name": text, "text": text}
        if table in ("pains", "processes"):
            fields["stage"] = self._pick(data, "stages")
        fields = {k: v for k, v in fields.items() if k in TABLES[table].model_fields}
        self._try("add", edit.add_item, table, fields)

    @rule(table=st.sampled_from(list(TABLES)), data=st.data(), value=ANY_VALUE)
    def update(self, table, data, value):
        field = data.draw(st.sampled_from(EDITABLE[table]))
        self._try("update", edit.update_item, table, self._pick(data, table), {field: value})

    @rule(table=st.sampled_from(list(TABLES)), data=st.data())
    def delete(self, table, data):
        self._try("delete", edit.delete_item, table, self._pick(data, table))

    @rule(table=st.sampled_from(list(TABLES)), data=st.data(), delta=st.integers(-3, 3))
    def move(self, table, data, delta):
        self._try("move", edit.move_item, table, self._pick(data, table), delta)

    @rule(data=st.data(), on=st.sampled_from([True, False, None]))
    def link(self, data, on):
        kind = data.draw(st.sampled_from(["cause", "feed", "target"]))
        if kind == "cause":
            self._try("link", links.link_cause, self._pick(data, "pains"), self._pick(data, "processes"), on)
        elif kind == "feed":
            self._try("link", links.link_feed, self._pick(data, "processes"), self._pick(data, "processes"), on)
        else:
            self._try("link", links.link_target, self._pick(data, "solutions"), self._pick(data, "processes"), on)

    @rule(data=st.data(), name=TEXT, delta=st.integers(-2, 2))
    def vote(self, data, name, delta):
        self._try("voter", voting.ensure_participant, name)
        if self.session.participants:
            who = data.draw(st.sampled_from(self.session.participants)).id
            table = data.draw(st.sampled_from(["pains", "solutions"]))
            self._try("vote", voting.cast_vote, who, table, self._pick(data, table), delta)

    @rule(data=st.data())
    def convert(self, data):
        table = data.draw(st.sampled_from(["pains", "processes", "solutions", "stages"]))
        stage = self._pick(data, "stages")
        self._try("convert", edit.convert_parked, self._pick(data, "parking"), table, stage)

    @precondition(lambda self: self.history.can_undo)
    @rule()
    def undo(self):
        self.history.undo()
        self.snapshots.pop()
        assert self.session == self.snapshots[-1], "undo restores exactly the previous session"

    @invariant()
    def valid_and_round_trips(self):
        session = self.session
        assert reference_problems(session) == []
        assert parse_session(dumps_session(session)) == session
        ranking = rank(session)
        assert len(ranking.solutions) == len(session.solutions)
        assert len(stage_friction(session)) == len(session.stages)


EditMachine.TestCase.settings = CORE.__class__(CORE, max_examples=25, stateful_step_count=25)
TestEdits = EditMachine.TestCase

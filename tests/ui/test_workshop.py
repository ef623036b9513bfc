"""A whole workshop typed the fastest documented way, every non-text key counted (issue 23).

The workshop is not the bundled example: a home-insurance claim with 3 departments, 2 personas,
5 stages with phases, owners and both personas' emotions, 8 pains and a gain, 6 processes with
owners and hand-offs (typed before the process they hand to exists), 8 cause links (typed on
the pains before any process exists) and 5 solutions with target, effort and confidence.

Budget: at most 6 non-text keys per item on average and no kind above 8. A second run types the
same workshop with the mistakes people make and must end with the same session.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from cjmtui.core.store import save_session
from cjmtui.core.templates import new_session
from cjmtui.ui.screens.form import ItemForm
from cjmtui.ui.widgets.choice import TypeSelect
from helpers import make_app, type_text

SIZE = (80, 24)

LOG, REGISTER, BOOK = "Log the first notice of loss", "Register the claim", "Book and brief the assessor"
WRITE, PAY, RENEW = "Write the settlement offer", "Pay the repairer", "Renew the policy"
DEPARTMENTS = ["Claims handling", "Sales & Underwriting", "Assessors network"]
PERSONAS = ["Policyholder", "Broker"]
# name, signs (phase, owner), emotion signs (policyholder, broker in order), expected
STAGES = [
    ("Report the loss", "/a@c", "~-10", ("awareness", "claims-handling", {"policyholder": -1, "broker": 0})),
    ("Assessor visit", "/c@as", "~1-1", ("consideration", "assessors-network", {"policyholder": 1, "broker": -1})),
    ("Settlement offer", "/d@c", "~-2-1", ("decision", "claims-handling", {"policyholder": -2, "broker": -1})),
    ("Repairs", "/o@as", "~01", ("onboarding", "assessors-network", {"policyholder": 0, "broker": 1})),
    ("Renewal", "/ad@sa", "~21", ("advocacy", "sales-underwriting", {"policyholder": 2, "broker": 1})),
]
# stage index, words, pain signs, cause sign, expected (kind, severity, frequency, personas, cause id)
PAINS = [
    (0, "Nobody answered the hotline", "!43@p", "#l", ("pain", 4, 3, ["policyholder"], LOG)),
    (0, "I had to repeat my policy number twice", "!34", "#r", ("pain", 3, 4, [], REGISTER)),
    (
        1,
        "The assessor came a week late",
        "!54@p",
        "#b",
        ("pain", 5, 4, ["policyholder"], BOOK),
    ),
    (
        1,
        "Nobody said what the assessor needs",
        "!33@b",
        "#b",
        ("pain", 3, 3, ["broker"], BOOK),
    ),
    (
        2,
        "The offer did not explain the deductions",
        "!44@b",
        "#w",
        ("pain", 4, 4, ["broker"], WRITE),
    ),
    (2, "The offer came by post only", "!23", "#w", ("pain", 2, 3, [], WRITE)),
    (3, "The repairer waited weeks for payment", "!45@p", "#pa", ("pain", 4, 5, ["policyholder"], PAY)),
    (4, "The renewal price went up after the claim", "!53", "#ren", ("pain", 5, 3, [], RENEW)),
]
GAIN = (3, "+", "The repair was done in a day", ("gain", ["policyholder"]), "@p")
# stage index, words, signs (owner only where not the stage's owner; hand-off to a later one)
PROCESSES = [
    (0, "Log the first notice of loss", ">r", ("claims-handling", [REGISTER])),
    (0, "Register the claim", ">b", ("claims-handling", [BOOK])),
    (1, "Book and brief the assessor", ">w", ("assessors-network", [WRITE])),
    (2, "Write the settlement offer", ">pa", ("claims-handling", [PAY])),
    (3, "Pay the repairer", "@c>ren", ("claims-handling", [RENEW])),
    (4, "Renew the policy", "", ("sales-underwriting", [])),
]
SOLUTIONS = [
    ("Online claim form with photo upload", "#l!28", (LOG, 2, 0.8)),
    ("Text the policyholder when the assessor is booked", "#b!17", ("Book and brief the assessor", 1, 0.7)),
    ("Itemised settlement letter", "#w!19", ("Write the settlement offer", 1, 0.9)),
    ("Pay repairers within 48 hours", "#pa!36", ("Pay the repairer", 3, 0.6)),
    ("Claims-free renewal promise", "#ren!45", ("Renew the policy", 4, 0.5)),
]


class Typist:
    """Presses keys in the app and counts every one that is not part of an item's words."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.keys: Counter[str] = Counter()
        self.items: Counter[str] = Counter()

    async def press(self, kind: str, *keys: str) -> None:
        self.keys[kind] += len(keys)
        await self.pilot.press(*keys)

    async def note(self, kind: str, words: str, signs: str = "", *, before: str = "", count: bool = True) -> None:
        """``before`` + words + signs + Enter; all but the words are counted."""
        await type_text(self.pilot, before + words + signs)
        await self.pilot.press("enter")
        self.keys[kind] += len(before) + len(signs) + 1
        if count:
            self.items[kind] += 1


def _new_session(tmp_path):
    path = tmp_path / "claims.toml"
    save_session(path, new_session("Home insurance claim", "empty", date=dt.date(2026, 1, 5)))
    return path


async def _type_workshop(pilot, app, *, mistakes: bool = False) -> Typist:
    t = Typist(pilot)
    await t.press("department", "8", "a")
    for name in DEPARTMENTS:
        await t.note("department", name)
    await t.press("department", "escape")

    await t.press("persona", "1", "a")
    for name in PERSONAS:
        await t.note("persona", name)
    await t.press("persona", "escape")

    await t.press("stage", "2", "a")
    for n, (name, signs, emotions, _expected) in enumerate(STAGES):
        if mistakes and n == 2:
            emotions = ""  # this stage's emotions go in through the form, typed into closed dropdowns
        await t.note("stage", name, signs + emotions)
        # The emotions' keys are a kind of their own (as in issue 23's count), not an item.
        t.keys["stage"] -= len(emotions)
        t.keys["stage emotions"] += len(emotions)
        t.items["stage emotions"] += 1
    await t.press("stage", "escape")
    if mistakes:
        # Back on "Settlement offer": e, then -2 and -1 typed into the closed emotion fields.
        stage = next(s for s in app.session.stages if s.name == "Settlement offer")
        while app.screen.table.current_id != stage.id:
            await pilot.press("up")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        for persona, typed in (("policyholder", "-2"), ("broker", "-1")):
            field = form.query_one(f"#emo-{persona}", TypeSelect)
            field.focus()
            await pilot.pause()
            await pilot.press(*typed)
        await pilot.press("f2", "home")  # and back to the first stage, where the pains start
        await pilot.pause()

    # Pains stage by stage; their causes are typed now, before any process exists.
    await t.press("pain", "3", "a")
    stage = 0
    pains = [(s, words, signs, cause) for s, words, signs, cause, _e in PAINS]
    gain_at = GAIN[0]
    for index, (s, words, signs, cause) in enumerate(pains):
        while stage < s:
            await t.press("pain", "ctrl+down")
            stage += 1
        if mistakes and index == 2:
            cause = "#obok"  # two letters swapped: still "Book and brief the assessor"
        if mistakes and index == 4:
            signs = "!44@borker"  # a typo in the persona's name: still Broker
        await type_text(pilot, words + signs)
        t.keys["pain"] += len(signs)
        t.keys["cause link"] += len(cause)
        t.items["pain"] += 1
        t.items["cause link"] += 1
        await type_text(pilot, cause)
        await t.press("pain", "enter")
        if s == gain_at and (index + 1 == len(pains) or pains[index + 1][0] != s):
            await t.note("gain", GAIN[2], GAIN[4], before=GAIN[1])
    await t.press("pain", "escape")

    # Processes: back to the first stage without leaving the entry; hand-offs point forwards.
    await t.press("process", "4", "a")
    for _ in range(stage):
        await t.press("process", "ctrl+up")
    stage = 0
    for s, name, signs, _expected in PROCESSES:
        while stage < s:
            await t.press("process", "ctrl+down")
            stage += 1
        await t.note("process", name, signs)
    await t.press("process", "escape")

    await t.press("solution", "5", "a")
    for text, signs, _expected in SOLUTIONS:
        await t.note("solution", text, signs)
    await t.press("solution", "escape")
    return t


def _check_workshop(session) -> None:
    """The session holds exactly the workshop meant, nothing more, nothing different."""
    assert [d.name for d in session.departments] == DEPARTMENTS
    assert [p.name for p in session.personas] == PERSONAS
    assert [s.name for s in session.stages] == [s[0] for s in STAGES]
    for stage, (_n, _s, _e, (phase, owner, emotion)) in zip(session.stages, STAGES, strict=True):
        assert (stage.phase, stage.owners, stage.emotion) == (phase, [owner], emotion), stage
    ids = [s.id for s in session.stages]
    named = {p.id: p.name for p in session.processes}

    def names(process_ids: list[str]) -> list[str]:
        return [named.get(i, i) for i in process_ids]

    pains = [p for p in session.pains if p.kind == "pain"]
    assert [p.text for p in pains] == [p[1] for p in PAINS]
    for pain, (s, _w, _signs, _c, (kind, sev, freq, personas, cause)) in zip(pains, PAINS, strict=True):
        got = (pain.stage, pain.kind, pain.severity, pain.frequency, pain.personas, names(pain.caused_by), pain.pending)
        assert got == (ids[s], kind, sev, freq, personas, [cause], []), pain
    (gain,) = [p for p in session.pains if p.kind == "gain"]
    assert (gain.text, gain.stage, gain.personas) == (GAIN[2], ids[GAIN[0]], GAIN[3][1])
    assert [p.name for p in session.processes] == [p[1] for p in PROCESSES]
    for proc, (s, _n, _signs, (owner, feeds)) in zip(session.processes, PROCESSES, strict=True):
        assert (proc.stage, proc.owner, names(proc.feeds), proc.pending) == (ids[s], owner, feeds, []), proc
    assert [so.text for so in session.solutions] == [s[0] for s in SOLUTIONS]
    for sol, (_t, _signs, (target, effort, confidence)) in zip(session.solutions, SOLUTIONS, strict=True):
        assert (names(sol.targets), sol.effort, sol.confidence, sol.pending) == ([target], effort, confidence, []), sol


async def test_a_whole_workshop_within_six_keys_per_item(tmp_path):
    app = make_app(_new_session(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        t = await _type_workshop(pilot, app)
        _check_workshop(app.session)
    per_kind: dict[str, Any] = {kind: t.keys[kind] / t.items[kind] for kind in t.items}
    per_kind["stage with its emotions"] = (t.keys["stage"] + t.keys["stage emotions"]) / t.items["stage"]
    total_items = sum(n for kind, n in t.items.items() if kind != "stage emotions")
    average = sum(t.keys.values()) / total_items
    print(f"keys per kind: { {k: round(v, 2) for k, v in per_kind.items()} }; average {average:.2f}")
    assert total_items >= 38
    assert average <= 6, f"{average:.2f} non-text keys per item: {dict(t.keys)} for {dict(t.items)}"
    over = {kind: round(v, 2) for kind, v in per_kind.items() if v > 8 and kind != "stage with its emotions"}
    assert not over, f"kinds over 8 keys an item: {over}"


async def test_the_same_workshop_with_the_usual_mistakes_ends_the_same(tmp_path):
    """A typo in a sign, signs naming what is not there yet, a dropdown typed while closed."""
    app = make_app(_new_session(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await _type_workshop(pilot, app, mistakes=True)
        _check_workshop(app.session)

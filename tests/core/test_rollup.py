"""Root causes across workshops (core.rollup): matching processes across sessions, the mapping
file, the sums of each workshop's own process ranking, order independence and safe outputs."""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import factories
from cjmtui.core import edit, scoring, store
from cjmtui.core import model as m
from cjmtui.core import rollup as ru
from cjmtui.core.errors import SessionFileError
from cjmtui.core.export import rollup as rx
from cjmtui.core.safety import data_text
from core.test_export import assert_safe_markdown

SESSIONS = factories.EXAMPLES
BUNDLED = [
    str(SESSIONS / "online-ordering.toml"),
    str(SESSIONS / "professional-services-onboarding.toml"),
    str(SESSIONS / "trade-account-billing.toml"),
]
FORMULA = ("=", "+", "-", "@")


def by_member(result: ru.Rollup) -> dict[tuple[str, str], ru.RootCause]:
    """(file name, process id) -> its root cause."""
    return {(result.workshop(mb.workshop).name, mb.process): c for c in result.root_causes for mb in c.members}


def member(result: ru.Rollup, file: str, proc: str) -> ru.Member:
    cause = by_member(result)[(file, proc)]
    return next(mb for mb in cause.members if result.workshop(mb.workshop).name == file and mb.process == proc)


def variant(
    session: m.Session, *, proc_ids: dict[str, str] | None = None, names: dict[str, str] | None = None
) -> m.Session:
    """``session`` with processes given new ids (references follow) and new names."""
    proc_ids = proc_ids or {}
    names = names or {}

    def pid(x: str) -> str:
        return proc_ids.get(x, x)

    return session.model_copy(
        update={
            "processes": [
                p.model_copy(
                    update={"id": pid(p.id), "name": names.get(p.id, p.name), "feeds": [pid(f) for f in p.feeds]}
                )
                for p in session.processes
            ],
            "pains": [p.model_copy(update={"caused_by": [pid(c) for c in p.caused_by]}) for p in session.pains],
            "solutions": [s.model_copy(update={"targets": [pid(t) for t in s.targets]}) for s in session.solutions],
        }
    )


def ranked(session: m.Session) -> dict[str, scoring.RankedProcess]:
    return {p.id: p for p in scoring.rank(session).processes}


# ---------------------------------------------------------------------------------------------
# The bundled workshops


def test_bundled_workshops_have_a_recurring_root_cause_on_top() -> None:
    result = ru.rollup_files(BUNDLED)
    assert [w.name for w in result.workshops] == [Path(f).name for f in BUNDLED]
    top = result.root_causes[0]
    assert top.workshops >= 2
    assert (top.name, top.department) == ("Qualify the deal & discover requirements", "Sales")
    files = {result.workshop(a.workshop).name for a in top.appearances}
    assert files == {"professional-services-onboarding.toml", "trade-account-billing.toml"}
    # Its score is what each workshop's own ranking gives the process, added up.
    prof = ranked(store.load_session(BUNDLED[1]).session)["sales-discovery"]
    billing = ranked(store.load_session(BUNDLED[2]).session)["account-discovery"]
    assert top.score == pytest.approx(prof.score + billing.score)
    assert top.impact == pytest.approx(prof.impact + billing.impact)
    # It outranks the biggest root cause of any single workshop.
    for file in BUNDLED:
        assert top.score > scoring.rank(store.load_session(file).session).processes[0].score


def test_bundled_matches_say_why() -> None:
    result = ru.rollup_files(BUNDLED)
    billing = "trade-account-billing.toml"
    # Different ids, same department (by name: the ids are "sales" and "sales-team") and name.
    assert member(result, billing, "account-discovery").reasons == (ru.SAME_NAME,)
    assert (
        by_member(result)[(billing, "account-discovery")]
        is by_member(result)[("professional-services-onboarding.toml", "sales-discovery")]
    )
    # Same id and same name.
    assert member(result, billing, "trade-pricing").reasons == (ru.SAME_ID, ru.SAME_NAME)
    # "Customer Service" and "Customer service": names are compared without case.
    assert member(result, billing, "call-handling").reasons == (ru.SAME_ID, ru.SAME_NAME)
    # Same id, but another department (Credit control, not Finance & billing): matched by id only.
    assert member(result, billing, "credit-check").reasons == (ru.SAME_ID,)
    # A process found in one workshop only was matched by nothing.
    assert member(result, "online-ordering.toml", "catalogue").reasons == ()
    assert by_member(result)[("online-ordering.toml", "catalogue")].workshops == 1
    shown = {(row[1], row[2]) for row in rx.matches_view(result).rows}
    assert ("trade-account-billing.toml", "account-discovery") in shown
    assert ("online-ordering.toml", "catalogue") not in shown


def test_every_process_is_in_exactly_one_root_cause() -> None:
    result = ru.rollup_files(BUNDLED)
    members = [(mb.workshop, mb.process) for c in result.root_causes for mb in c.members]
    expected = [(n, p.id) for n, file in enumerate(BUNDLED, 1) for p in store.load_session(file).session.processes]
    assert sorted(members) == sorted(expected)
    assert [c.rank for c in result.root_causes] == list(range(1, len(result.root_causes) + 1))
    scores = [c.score for c in result.root_causes]
    assert scores == sorted(scores, reverse=True)


# ---------------------------------------------------------------------------------------------
# Matching


def test_matching_by_id_across_files_even_with_another_name() -> None:
    a = factories.workshop()
    b = variant(a, names={"catalogue": "Product data upkeep"})
    result = ru.rollup_sessions([("a.toml", a), ("b.toml", b)])
    cause = by_member(result)[("a.toml", "catalogue")]
    assert by_member(result)[("b.toml", "catalogue")] is cause
    assert {mb.reasons for mb in cause.members} == {(ru.SAME_ID,)}
    assert cause.name == "Online catalogue"  # the first workshop's words
    assert len(result.root_causes) == 3


def test_matching_by_department_name_and_process_name_ignores_case_spacing_and_department_ids() -> None:
    a = factories.workshop()
    b = variant(a, proc_ids={"catalogue": "cat"}, names={"catalogue": "ONLINE   catalogue"})
    b = b.model_copy(
        update={
            "departments": [*b.departments, m.Department(id="webteam", name="WEB  team")],
            "processes": [p.model_copy(update={"owner": "webteam"}) if p.id == "cat" else p for p in b.processes],
        }
    )
    assert m.reference_problems(b) == []
    result = ru.rollup_sessions([("a.toml", a), ("b.toml", b)])
    cause = by_member(result)[("a.toml", "catalogue")]
    assert by_member(result)[("b.toml", "cat")] is cause
    assert member(result, "b.toml", "cat").reasons == (ru.SAME_NAME,)


def test_same_name_in_another_department_is_not_a_match() -> None:
    a = factories.workshop()
    b = variant(a, proc_ids={"catalogue": "cat"})
    b = b.model_copy(
        update={"processes": [p.model_copy(update={"owner": "sales"}) if p.id == "cat" else p for p in b.processes]}
    )
    result = ru.rollup_sessions([("a.toml", a), ("b.toml", b)])
    assert by_member(result)[("a.toml", "catalogue")] is not by_member(result)[("b.toml", "cat")]
    assert member(result, "b.toml", "cat").reasons == ()


def test_two_processes_of_one_workshop_in_one_root_cause_count_each_pain_once() -> None:
    # b's "catalogue" matches a's by id; b's "order-entry" matches a's catalogue by name: all three
    # are one root cause, and in b it counts what fixing both processes together reaches.
    a = factories.workshop()
    b = variant(a, names={"order-entry": "Online catalogue"})
    b = b.model_copy(
        update={
            "processes": [p.model_copy(update={"owner": "web"}) if p.id == "order-entry" else p for p in b.processes]
        }
    )
    result = ru.rollup_sessions([("a.toml", a), ("b.toml", b)])
    cause = by_member(result)[("a.toml", "catalogue")]
    assert by_member(result)[("b.toml", "order-entry")] is cause
    in_b = next(x for x in cause.appearances if x.workshop == 2)
    assert set(in_b.processes) == {"catalogue", "order-entry"}
    alone = ranked(b)
    # Fixing the catalogue already reaches order-entry's pain (one hop): counted once, at 0 hops.
    assert in_b.impact < alone["catalogue"].impact + alone["order-entry"].impact
    assert in_b.impact == pytest.approx(12 + 15 + 20 * 0.5)


# ---------------------------------------------------------------------------------------------
# The mapping file


def test_mapping_joins_and_splits() -> None:
    workshops = ru.load_workshops(BUNDLED)
    text = """
[[same]]
processes = ["professional-services-onboarding.toml:deal-desk", "trade-account-billing.toml:discount-approval"]

[[different]]
processes = ["online-ordering.toml:credit-check", "trade-account-billing.toml:credit-check"]
"""
    before = ru.rollup(workshops)
    after = ru.rollup(workshops, ru.parse_mapping(text, "map.toml", workshops))
    deal = by_member(after)[("professional-services-onboarding.toml", "deal-desk")]
    assert by_member(after)[("trade-account-billing.toml", "discount-approval")] is deal
    assert (
        by_member(before)[("trade-account-billing.toml", "discount-approval")]
        is not by_member(before)[("professional-services-onboarding.toml", "deal-desk")]
    )
    assert {mb.reasons for mb in deal.members} == {(ru.MAPPING,)}
    assert deal.workshops == 2
    assert by_member(before)[("online-ordering.toml", "credit-check")].workshops == 2
    split = [by_member(after)[(f, "credit-check")] for f in ("online-ordering.toml", "trade-account-billing.toml")]
    assert split[0] is not split[1] and split[0].workshops == split[1].workshops == 1
    assert member(after, "online-ordering.toml", "credit-check").reasons == (ru.KEPT_APART,)
    assert after.mapping == "map.toml"
    # The rest is untouched.
    assert by_member(after)[("online-ordering.toml", "trade-pricing")].workshops == 2
    assert len(after.root_causes) == len(before.root_causes)  # one joined, one split


def test_mapping_file_on_disk_and_by_path_as_given(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text(f'[[same]]\nprocesses = ["{BUNDLED[0]}:catalogue", "trade-account-billing.toml:invoicing"]\n')
    result = ru.rollup_files(BUNDLED, str(mapping))
    cause = by_member(result)[("online-ordering.toml", "catalogue")]
    assert {(result.workshop(mb.workshop).name, mb.process) for mb in cause.members} == {
        ("online-ordering.toml", "catalogue"),
        ("trade-account-billing.toml", "invoicing"),
        ("online-ordering.toml", "invoicing"),  # matched to the billing invoicing by id
    }


def test_a_split_that_a_third_process_joins_again_is_an_error() -> None:
    a = factories.workshop()
    workshops = [("a.toml", a), ("b.toml", a), ("c.toml", a)]
    text = '[[different]]\nprocesses = ["a.toml:catalogue", "b.toml:catalogue"]\n'
    with pytest.raises(ru.RollupError) as err:
        ru.rollup(workshops, ru.parse_mapping(text, "map.toml", workshops))
    message = str(err.value)
    assert message.startswith("map.toml: [[different]] 1: a.toml:catalogue and b.toml:catalogue")
    assert "c.toml:catalogue" in message
    # Listing the third one too keeps all three apart.
    text = '[[different]]\nprocesses = ["a.toml:catalogue", "b.toml:catalogue", "c.toml:catalogue"]\n'
    result = ru.rollup(workshops, ru.parse_mapping(text, "map.toml", workshops))
    assert len({id(by_member(result)[(f, "catalogue")]) for f in ("a.toml", "b.toml", "c.toml")}) == 3
    # The other processes still match in all three.
    assert by_member(result)[("a.toml", "order-entry")].workshops == 3


def test_same_and_different_on_one_pair_is_an_error() -> None:
    a = factories.workshop()
    workshops = [("a.toml", a), ("b.toml", a)]
    text = (
        '[[same]]\nprocesses = ["a.toml:catalogue", "b.toml:call-handling"]\n'
        '[[different]]\nprocesses = ["a.toml:catalogue", "b.toml:call-handling"]\n'
    )
    with pytest.raises(ru.RollupError, match=r"\[\[different\]\] 1: .* \[\[same\]\] 1 lists them both"):
        ru.rollup(workshops, ru.parse_mapping(text, "map.toml", workshops))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[same]\n", "map.toml: not valid TOML"),
        ("[[merge]]\nprocesses = []\n", "map.toml: unknown table 'merge'"),
        ("same = 1\n", "map.toml: same: write each entry as a [[same]] table"),
        ('[[same]]\nprocesses = ["a.toml:catalogue"]\n', "map.toml: [[same]] 1: processes lists 1; name at least two"),
        ("[[same]]\nprocesses = 3\n", "map.toml: [[same]] 1: processes must be a list"),
        ('[[same]]\nwhy = "x"\nprocesses = []\n', "map.toml: [[same]] 1: unknown key 'why'"),
        ('[[different]]\nprocesses = ["a.toml:catalogue", "catalogue"]\n', "[[different]] 1: 'catalogue' is not"),
        ('[[same]]\nprocesses = ["a.toml:catalogue", "z.toml:catalogue"]\n', "'z.toml' is not one of the workshops"),
        ('[[same]]\nprocesses = ["a.toml:catalogue", "b.toml:nope"]\n', "[[same]] 1: b.toml has no process 'nope'"),
        ('[[same]]\nprocesses = ["a.toml:catalogue", "a.toml:catalogue"]\n', "'a.toml:catalogue' is listed twice"),
    ],
)
def test_bad_mapping_files_say_what_and_where(text: str, expected: str) -> None:
    a = factories.workshop()
    with pytest.raises(ru.RollupError) as err:
        ru.parse_mapping(text, "map.toml", [("a.toml", a), ("b.toml", a)])
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_an_ambiguous_file_name_must_be_written_as_given(tmp_path: Path) -> None:
    a = factories.workshop()
    workshops = [("x/a.toml", a), ("y/a.toml", a)]
    with pytest.raises(ru.RollupError, match="the name of several workshops"):
        ru.parse_mapping('[[same]]\nprocesses = ["a.toml:catalogue", "y/a.toml:order-entry"]\n', "m", workshops)
    mapping = ru.parse_mapping('[[same]]\nprocesses = ["x/a.toml:catalogue", "y/a.toml:order-entry"]\n', "m", workshops)
    assert mapping.same == (((0, "catalogue"), (1, "order-entry")),)


# ---------------------------------------------------------------------------------------------
# Files


def test_missing_broken_and_repeated_files(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match=r"nope\.toml: no such file"):
        ru.rollup_files([BUNDLED[0], str(tmp_path / "nope.toml")])
    broken = tmp_path / "broken.toml"
    broken.write_text('schema_version = 1\n[session]\ntitle = "x"\njourney = "space"\n')
    with pytest.raises(SessionFileError) as err:
        ru.rollup_files([BUNDLED[0], str(broken)])
    assert str(err.value).startswith(str(broken)) and "journey" in str(err.value)
    with pytest.raises(ru.RollupError, match="given twice"):
        ru.rollup_files([BUNDLED[0], str(SESSIONS / "." / "online-ordering.toml")])
    for missing in ("map.toml", "folder"):
        (tmp_path / "folder").mkdir(exist_ok=True)
        with pytest.raises(ru.RollupError, match=f"{missing}: "):
            ru.rollup_files(BUNDLED[:2], str(tmp_path / missing))
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"# caf\xe9\n")
    with pytest.raises(ru.RollupError, match="not UTF-8"):
        ru.rollup_files(BUNDLED[:2], str(bad))


def test_order_of_the_files_does_not_matter() -> None:
    results = [ru.rollup_files(list(order)) for order in itertools.permutations(BUNDLED)]
    assert all(r == results[0] for r in results)
    texts = {rx.rollup_text(fmt, r) for r in results for fmt in ("md",)}
    assert len(texts) == 1


# ---------------------------------------------------------------------------------------------
# Properties over generated sessions


def _related(a: tuple[int, m.Process, str], b: tuple[int, m.Process, str]) -> bool:
    (wa, pa, da), (wb, pb, db) = a, b
    same_name = ru.normalised(da) == ru.normalised(db) and ru.normalised(pa.name) == ru.normalised(pb.name)
    return wa != wb and (pa.id == pb.id or same_name)


@factories.CORE
@given(st.lists(factories.sessions(plain=True), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_properties_of_a_rollup(sessions: list[m.Session], rnd) -> None:
    # Give some processes an id an earlier workshop uses (random ids seldom meet by themselves).
    for i in range(1, len(sessions)):
        earlier = [p.id for s in sessions[:i] for p in s.processes]
        own = [p.id for p in sessions[i].processes]
        free = [x for x in dict.fromkeys(earlier) if x not in own]
        rnd.shuffle(free)
        chosen = [x for x in own if rnd.random() < 0.5]
        sessions[i] = variant(sessions[i], proc_ids=dict(zip(chosen, free, strict=False)))
        assert m.reference_problems(sessions[i]) == []
    named = [(f"w{i}.toml", s) for i, s in enumerate(sessions)]
    result = ru.rollup_sessions(named)
    # The order the files come in changes nothing.
    shuffled = named[:]
    rnd.shuffle(shuffled)
    assert ru.rollup_sessions(shuffled) == result

    procs = []  # (workshop number, process, department name)
    for n, (_file, s) in enumerate(named, 1):
        depts = {d.id: d.name for d in s.departments}
        procs += [(n, p, depts.get(p.owner or "", "")) for p in s.processes]
    cause_of = {(mb.workshop, mb.process): c.rank for c in result.root_causes for mb in c.members}
    assert len(cause_of) == len(procs)  # every process in exactly one root cause
    # Related processes share a root cause, and a root cause's processes are all related (a chain).
    for a, b in itertools.combinations(procs, 2):
        if _related(a, b):
            assert cause_of[(a[0], a[1].id)] == cause_of[(b[0], b[1].id)]
    for c in result.root_causes:
        keys = [(mb.workshop, mb.process) for mb in c.members]
        nodes = [next(x for x in procs if (x[0], x[1].id) == k) for k in keys]
        reached, frontier = {0}, [0]
        while frontier:
            i = frontier.pop()
            for j in range(len(nodes)):
                if j not in reached and _related(nodes[i], nodes[j]):
                    reached.add(j)
                    frontier.append(j)
        assert reached == set(range(len(nodes)))

    # Each workshop's figures are its own process ranking; the root cause's are their sums.
    rankings = [ranked(s) for _f, s in named]
    for c in result.root_causes:
        assert c.score == pytest.approx(sum(a.score for a in c.appearances))
        assert c.impact == pytest.approx(sum(a.impact for a in c.appearances))
        for a in c.appearances:
            own = [rankings[a.workshop - 1][p] for p in a.processes]
            if len(own) == 1:
                assert (a.score, a.impact, a.stages_reached, a.pains_reached) == (
                    own[0].score,
                    own[0].impact,
                    own[0].stages_reached,
                    own[0].pains_reached,
                )
            else:  # several processes of one workshop: each pain once
                assert max(o.impact for o in own) - 1e-9 <= a.impact <= sum(o.impact for o in own) + 1e-9
    scores = [c.score for c in result.root_causes]
    assert scores == sorted(scores, reverse=True)


# ---------------------------------------------------------------------------------------------
# Outputs: hostile text stays text

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(1)</script> [x](http://e.vil) **b** \x1b[2J \u202e | `c`"


def hostile_pair() -> list[tuple[str, m.Session]]:
    a = factories.workshop()
    a = a.model_copy(
        update={
            "session": a.session.model_copy(update={"title": HOSTILE}),
            "departments": [d.model_copy(update={"name": "@" + HOSTILE}) for d in a.departments],
            "processes": [p.model_copy(update={"name": "+" + HOSTILE + p.id}) for p in a.processes],
        }
    )
    return [("-evil|<b>.toml", a), ("=b.toml", a)]


def test_markdown_keeps_hostile_text_as_text() -> None:
    result = ru.rollup_sessions(hostile_pair())
    text = rx.rollup_text("md", result)
    assert_safe_markdown(text)
    assert "<script>" not in text


def test_csv_has_one_table_and_no_formula() -> None:
    result = ru.rollup_sessions(hostile_pair())
    rows = list(csv.reader(io.StringIO(rx.rollup_text("csv", result), newline="")))
    assert rows[0] == list(rx.CSV_COLUMNS)
    assert all(len(r) == len(rx.CSV_COLUMNS) for r in rows)
    assert len(rows) == 1 + sum(c.workshops for c in result.root_causes)
    for row in rows[1:]:
        for cell in row:
            try:
                float(cell)
            except ValueError:
                assert not cell.startswith(FORMULA), cell
    # The words arrive, behind the guard's quote, control characters made visible.
    names = {row[1] for row in rows[1:]}
    assert "'+" + data_text(HOSTILE) + "catalogue" in names
    assert {row[rows[0].index("file")] for row in rows[1:]} == {"'-evil|<b>.toml", "'=b.toml"}


def test_bundled_csv_rows_are_the_root_causes_in_each_workshop() -> None:
    result = ru.rollup_files(BUNDLED)
    rows = list(csv.DictReader(io.StringIO(rx.rollup_text("csv", result), newline="")))
    top = [r for r in rows if r["rank"] == "1"]
    assert {r["file"] for r in top} == {"professional-services-onboarding.toml", "trade-account-billing.toml"}
    assert sum(float(r["impact"]) for r in top) == pytest.approx(float(top[0]["total_impact"]), abs=0.01)


def test_html_page_escapes_everything_and_runs_nothing() -> None:
    result = ru.rollup_sessions(hostile_pair())
    page = rx.rollup_text("html", result)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<b>" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert "-evil|&lt;b&gt;.toml" in page
    assert 'id="root-causes"' in page and 'id="matches"' in page and 'id="workshops"' in page


def test_bundled_html_marks_the_recurring_root_causes() -> None:
    result = ru.rollup_files(BUNDLED)
    page = rx.rollup_text("html", result)
    recurring = sum(c.workshops > 1 for c in result.root_causes)
    assert recurring >= 2 and page.count('<tr class="recurring">') == recurring


def test_json_data() -> None:
    result = ru.rollup_files(BUNDLED)
    data = json.loads(rx.rollup_text("json", result))
    assert [w["file"] for w in data["workshops"]] == BUNDLED
    top = data["root_causes"][0]
    assert top["name"] == "Qualify the deal & discover requirements"
    assert [w["file"] for w in top["workshops"]] == BUNDLED[1:]
    assert {p["id"]: p["matched_by"] for p in top["processes"]} == {
        "sales-discovery": [ru.SAME_NAME],
        "account-discovery": [ru.SAME_NAME],
    }
    assert sum(w["impact"] for w in top["workshops"]) == pytest.approx(top["impact"], abs=0.01)


def test_top_and_unknown_format() -> None:
    result = ru.top_of(ru.rollup_files(BUNDLED), 2)
    assert [c.rank for c in result.root_causes] == [1, 2]
    assert {row[0] for row in rx.matches_view(result).rows} <= {"1", "2"}
    with pytest.raises(rx.ExportError):
        rx.rollup_text("pdf", result)


# ---------------------------------------------------------------------------------------------
# What the docs say


def test_the_format_docs_mapping_example_joins_and_splits_as_it_says() -> None:
    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    start = doc.index("```toml\n", doc.index("## Root causes across workshops: the mapping file")) + len("```toml\n")
    workshops = ru.load_workshops(BUNDLED)
    mapping = ru.parse_mapping(doc[start : doc.index("```", start)], "doc", workshops)
    result = ru.rollup(workshops, mapping)
    deal = by_member(result)[("professional-services-onboarding.toml", "deal-desk")]
    assert by_member(result)[("trade-account-billing.toml", "discount-approval")] is deal
    assert by_member(result)[("online-ordering.toml", "credit-check")].workshops == 1


def test_the_readme_quotes_the_real_rollup() -> None:
    readme = (SESSIONS.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("## Root causes across workshops") : readme.index("## Session files")]
    result = ru.rollup_files(BUNDLED)
    view = rx.root_causes_view(result, short=True)
    for row in view.rows[:4]:
        quoted = next(line for line in section.splitlines() if line.startswith(f"     {row[0]}  "))
        for cell in (row[0], row[1].split()[0], row[3], row[4], row[5], row[6], row[7], row[8]):
            assert cell in quoted, (cell, quoted)


def _workshop_of(size: int, process: str) -> m.Session:
    """A workshop whose one process causes ``size`` severe pains, and a smaller one beside it."""
    s = m.Session(session=m.SessionInfo(title=f"{process} workshop"))
    s, stage = edit.add_item(s, "stages", {"name": "Order"}, actor=None)
    s, top = edit.add_item(s, "processes", {"id": process, "stage": stage.id, "name": process}, actor=None)
    s, other = edit.add_item(
        s, "processes", {"id": process + "-minor", "stage": stage.id, "name": process + " minor"}, actor=None
    )
    for i in range(size):
        s, _ = edit.add_item(
            s,
            "pains",
            {"stage": stage.id, "text": f"pain {i}", "severity": 5, "frequency": 5, "caused_by": [top.id]},
            actor=None,
        )
    s, _ = edit.add_item(
        s, "pains", {"stage": stage.id, "text": "small", "severity": 1, "caused_by": [other.id]}, actor=None
    )
    return s


def test_a_small_workshops_top_cause_leads_the_share_view_beside_the_raw_sum() -> None:
    """Issue 24, item 10: raw sums favour the big workshop; the share view weighs each the same."""
    big, small = _workshop_of(40, "big"), _workshop_of(1, "tiny")
    big, _ = edit.add_item(big, "processes", {"id": "second", "stage": big.stages[0].id, "name": "second"}, actor=None)
    for i in range(10):
        big, _ = edit.add_item(
            big,
            "pains",
            {"stage": big.stages[0].id, "text": f"more {i}", "severity": 5, "frequency": 5, "caused_by": ["second"]},
            actor=None,
        )
    result = ru.rollup_sessions([("big.toml", big), ("small.toml", small)])
    causes = {c.name: c for c in result.root_causes}
    tiny, second = causes["tiny"], causes["second"]
    assert tiny.rank > second.rank, "the raw sum should favour the big workshop"
    assert tiny.share_rank < second.share_rank, "by share, the small workshop's top cause leads"
    for number in (1, 2):
        assert sum(a.share for c in result.root_causes for a in c.appearances if a.workshop == number) == pytest.approx(
            1
        )
    assert tiny.share == pytest.approx(sum(a.share for a in tiny.appearances) / 2)
    md = rx.rollup_text("md", result)
    assert "Share" in md and "every workshop weighs the same" in md and "Score: how much fixing" in md
    assert not re.search(r"\d\.\d{2,}", "\n".join(line for line in md.splitlines() if line.startswith("|")))
    data = json.loads(rx.rollup_text("json", result))
    assert {"share", "share_rank"} <= data["root_causes"][0].keys()

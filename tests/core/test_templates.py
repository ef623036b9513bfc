"""New sessions from templates: valid, round-trip through the writer, and refuse unknown names."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from cjmtui.core.errors import CjmError
from cjmtui.core.model import reference_problems
from cjmtui.core.store import dumps_session, parse_session
from cjmtui.core.templates import DEPARTMENTS, DESCRIPTIONS, TEMPLATES, new_session

EXPECTED_JOURNEY = {
    "empty": "other",
    "blank": "other",
    "onboarding": "onboarding",
    "buying": "buying",
    "service": "service",
    "professional-services": "onboarding",
}
WITH_DEPARTMENTS = [t for t in TEMPLATES if t != "empty"]
WITH_STAGES = [t for t in TEMPLATES if t not in ("empty", "blank")]


def test_template_names() -> None:
    assert TEMPLATES == ("empty", "blank", "onboarding", "buying", "service", "professional-services")


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_gives_a_valid_session_that_round_trips(template: str) -> None:
    session = new_session("Workshop — Q3", template, facilitator="Le Hua", date=dt.date(2025, 6, 1))
    assert reference_problems(session) == []
    assert session.session.title == "Workshop — Q3"
    assert session.session.journey == EXPECTED_JOURNEY[template]
    assert session.session.state == "current"
    assert session.session.facilitator == "Le Hua"
    assert session.session.date == dt.date(2025, 6, 1)
    text = dumps_session(session)
    again = parse_session(text)
    assert again == session
    assert dumps_session(again) == text


@pytest.mark.parametrize("template", WITH_DEPARTMENTS)
def test_template_has_the_departments_and_nothing_to_rank(template: str) -> None:
    session = new_session("x", template)
    assert [(d.id, d.name, d.role) for d in session.departments] == list(DEPARTMENTS)
    assert [d.id for d in session.departments] == [
        "marketing",
        "sales",
        "prof-services",
        "customer-success",
        "support",
        "devops",
        "product",
        "engineering",
        "finance",
        "hr",
    ]
    assert all(d.role for d in session.departments)
    assert session.pains == [] and session.processes == [] and session.solutions == []
    assert session.personas == []
    assert session.session.date is None


def test_blank_has_no_stages() -> None:
    assert new_session("x").stages == []
    assert new_session("x").session.journey == "other"


def test_empty_prefills_nothing_but_the_journey_type() -> None:
    """Issue 10: an insurer's facilitator deleted ten software-company departments one by one."""
    session = new_session("Claims", "empty", journey="service")
    assert session.session.journey == "service"
    assert session.departments == [] and session.stages == [] and session.personas == []
    assert new_session("Claims", "empty").session.journey == "other"
    with pytest.raises(CjmError):
        new_session("Claims", "empty", journey="cruise")


def test_every_template_says_what_it_prefills() -> None:
    for name in TEMPLATES:
        words = DESCRIPTIONS[name]
        stages = new_session("x", name).stages
        assert ("10 departments" in words or "10 software-company departments" in words) == (name != "empty")
        if stages:  # the first stage is named, in the room's words
            assert stages[0].name.split()[0].casefold() in words.casefold(), (name, words)


@pytest.mark.parametrize("template", WITH_STAGES)
def test_journey_templates_have_stages_across_the_phases(template: str) -> None:
    stages = new_session("x", template).stages
    assert len(stages) == 5
    assert all(s.phase is not None and s.customer_goal and s.owners for s in stages)
    phases = [s.phase for s in stages]
    assert phases[-1] == "advocacy"
    assert len(set(phases)) >= 3


def test_stage_names() -> None:
    assert [s.name for s in new_session("x", "buying").stages] == [
        "Discover need",
        "Compare options",
        "Choose & order",
        "Receive & set up",
        "Recommend",
    ]
    assert [s.name for s in new_session("x", "onboarding").stages] == [
        "Contract signed",
        "Kick-off",
        "Setup",
        "First value",
        "Ongoing adoption",
    ]
    assert [s.name for s in new_session("x", "service").stages] == [
        "Notice a problem",
        "Look for help",
        "Contact support",
        "Resolution",
        "Follow-up",
    ]
    # Seed 001, "Prioritize key stages — e.g. Professional Services"
    assert [s.name for s in new_session("x", "professional-services").stages] == [
        "Project scoping (SOW)",
        "Project plan",
        "Change requests",
        "Project close & sign-off",
        "Handover to customer success",
    ]


def test_unknown_template_is_refused_with_the_valid_names() -> None:
    with pytest.raises(CjmError) as info:
        new_session("x", "nope")
    message = str(info.value)
    assert "nope" in message
    for name in TEMPLATES:
        assert name in message


def test_bad_title_is_a_cjm_error_not_a_traceback() -> None:
    with pytest.raises(CjmError):
        new_session("   ", "buying")
    with pytest.raises(CjmError):
        new_session("x" * 201)


def test_templates_module_does_not_import_textual() -> None:
    import subprocess

    code = "import sys, cjmtui.core.templates; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

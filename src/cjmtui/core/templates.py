"""Starting points for a new workshop session: the departments and a first cut of the stages.

A template never guesses the customer's pains, the internal processes or the solutions: those
are what the workshop is for. It only saves the facilitator from typing the usual cast of
departments (seed list: Marketing, Sales, Professional Services, Customer Success, Product
Support, DevOps, Product Management, Engineering, Finance, Human Resources, each with its role)
and, for a buying, onboarding, service or professional-services journey, five stages across the
phases that the room can rename, reorder or delete. ``empty`` prefills nothing, for an
organisation whose departments are not a software company's.

This module is core: it must never import textual (the CLI and scripts use it without a UI).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from .errors import CjmError
from .model import Session, reference_problems

TEMPLATES: tuple[str, ...] = ("empty", "blank", "onboarding", "buying", "service", "professional-services")

# One line each, saying what the template prefills, so the picker can show it before you pick.
DESCRIPTIONS: dict[str, str] = {
    "empty": "nothing prefilled: you name the stages and departments (asks the journey type)",
    "blank": "10 software-company departments (Marketing … HR), no stages",
    "onboarding": "10 departments + contract signed → kick-off → setup → first value → adoption",
    "buying": "10 departments + discover need → compare → choose & order → set up → recommend",
    "service": "10 departments + notice a problem → look for help → support → resolution → follow-up",
    "professional-services": "10 departments + project scoping (SOW) → plan → changes → sign-off → handover",
}

# What each journey type is about, for "start empty".
JOURNEY_WORDS: dict[str, str] = {
    "buying": "from noticing a need to buying and recommending",
    "onboarding": "from a signed contract to getting value",
    "service": "from a problem to its resolution",
    "other": "any other journey",
}

# (id, name, role): every function plays a part in the customer's journey.
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("marketing", "Marketing", "Identifies the ideal customer profile (ICP) & creates brand awareness"),
    ("sales", "Sales", "Sets growth targets, converts prospects into customers"),
    ("prof-services", "Professional Services", "Implements customer solutions"),
    ("customer-success", "Customer Success", "Leads enablement, adoption & services"),
    ("support", "Product Support", "Resolves customer issues, provides product feedback"),
    ("devops", "DevOps", "Maintains technology infrastructure to support product needs"),
    ("product", "Product Management", "Ensures the product meets customer & market requirements"),
    ("engineering", "Engineering", "Develops & maintains the product in accordance with product & business objectives"),
    ("finance", "Finance", "Sets margin goals, manages billing, & says no to everything"),
    ("hr", "Human Resources", "Recruits & develops talent, ensures skills meet business objectives"),
)

# (id, name, phase, customer goal, owning departments) per journey template.
_Stage = tuple[str, str, str, str, tuple[str, ...]]
STAGES: dict[str, tuple[_Stage, ...]] = {
    "empty": (),
    "blank": (),
    "buying": (
        (
            "discover-need",
            "Discover need",
            "awareness",
            "Realise there is a problem worth solving and that someone can solve it",
            ("marketing",),
        ),
        (
            "compare-options",
            "Compare options",
            "consideration",
            "Find out which option fits my situation and what it really costs",
            ("marketing", "sales"),
        ),
        ("choose-order", "Choose & order", "decision", "Buy the right thing without surprises", ("sales", "finance")),
        (
            "receive-set-up",
            "Receive & set up",
            "onboarding",
            "Get it working and see that it does what I bought it for",
            ("prof-services", "customer-success"),
        ),
        (
            "recommend",
            "Recommend",
            "advocacy",
            "Get ongoing value and tell others about it",
            ("customer-success", "marketing"),
        ),
    ),
    "onboarding": (
        (
            "contract-signed",
            "Contract signed",
            "decision",
            "Know what happens next and who I will be working with",
            ("sales", "finance"),
        ),
        (
            "kick-off",
            "Kick-off",
            "onboarding",
            "Agree the scope, plan and timeline once, with everyone in the room",
            ("prof-services", "sales"),
        ),
        (
            "setup",
            "Setup",
            "onboarding",
            "Get the product configured for us without repeating ourselves",
            ("prof-services", "devops", "engineering"),
        ),
        (
            "first-value",
            "First value",
            "onboarding",
            "See the outcome we bought it for, and sign off",
            ("prof-services", "customer-success"),
        ),
        (
            "ongoing-adoption",
            "Ongoing adoption",
            "advocacy",
            "Keep getting value, get help fast, and renew with confidence",
            ("customer-success", "support", "product"),
        ),
    ),
    "service": (
        (
            "notice-a-problem",
            "Notice a problem",
            "awareness",
            "Understand that something is wrong and whether it is my fault",
            ("product", "engineering"),
        ),
        (
            "look-for-help",
            "Look for help",
            "consideration",
            "Find the answer myself, quickly",
            ("support", "marketing"),
        ),
        (
            "contact-support",
            "Contact support",
            "decision",
            "Reach someone who can help without waiting or repeating myself",
            ("support",),
        ),
        (
            "resolution",
            "Resolution",
            "onboarding",
            "Get it fixed for good, and know when it will be",
            ("support", "engineering", "devops"),
        ),
        ("follow-up", "Follow-up", "advocacy", "Trust that it will not happen again", ("customer-success", "product")),
    ),
    # Seed 001, "Prioritize key stages — e.g. Professional Services", in its own words.
    "professional-services": (
        (
            "project-scoping",
            "Project scoping (SOW)",
            "decision",
            "Agree once what will be delivered, by when, and what it costs",
            ("prof-services",),
        ),
        (
            "project-plan",
            "Project plan",
            "onboarding",
            "Know the deliverables, due dates, owners and what counts as done",
            ("prof-services", "product", "devops", "engineering"),
        ),
        (
            "change-requests",
            "Change requests",
            "onboarding",
            "Change the scope without surprises in cost or timeline",
            ("prof-services", "sales", "finance"),
        ),
        (
            "project-close",
            "Project close & sign-off",
            "onboarding",
            "See that the deliverables meet our requirements, and sign off",
            ("prof-services",),
        ),
        (
            "handover",
            "Handover to customer success",
            "advocacy",
            "Keep getting value after the project team has gone",
            ("customer-success", "prof-services"),
        ),
    ),
}

JOURNEY_OF: dict[str, str] = {
    "empty": "other",
    "blank": "other",
    "onboarding": "onboarding",
    "buying": "buying",
    "service": "service",
    "professional-services": "onboarding",
}


def new_session(
    title: str,
    template: str = "blank",
    *,
    facilitator: str = "",
    date: dt.date | None = None,
    journey: str | None = None,
) -> Session:
    """A new, valid session from ``template`` (one of :data:`TEMPLATES`).

    ``empty`` has nothing but the title and the journey type; every other template has the ten
    departments with their roles, and all but ``blank`` also have five stages with a phase, a
    customer goal and the departments that usually own them. The journey is ``journey`` when
    given, else the template's (``empty`` and ``blank`` give ``"other"``); the state is
    ``"current"``. No date is set unless ``date`` is given. Raises :class:`CjmError` for an
    unknown template or a title/facilitator/journey the file format cannot hold.
    """
    key = template.strip().lower() if isinstance(template, str) else template
    if key not in TEMPLATES:
        raise CjmError(f"unknown template {template!r}; choose one of: {', '.join(TEMPLATES)}")
    data: dict[str, Any] = {
        "session": {
            "title": title,
            "journey": journey or JOURNEY_OF[key],
            "state": "current",
            "facilitator": facilitator,
            "date": date,
        },
        "departments": [] if key == "empty" else [{"id": i, "name": n, "role": r} for i, n, r in DEPARTMENTS],
        "stages": [
            {"id": i, "name": n, "phase": ph, "customer_goal": goal, "owners": list(owners)}
            for i, n, ph, goal, owners in STAGES[key]
        ],
    }
    try:
        session = Session.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(part) for part in err["loc"])
            problems.append(f"{where}: {err['msg']}")
        raise CjmError("cannot start a session: " + "; ".join(problems)) from None
    problems = reference_problems(session)
    if problems:  # pragma: no cover - the tables above are checked by the tests
        raise CjmError("template " + key + " is broken: " + "; ".join(problems))
    return session

"""The session's details (title, journey, facilitator, date, dot budget) and the ranking's
weights: the facilitator's to change, edited together in one form (one undo step)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .edit import ItemError, checked, field_errors, require_facilitator
from .errors import EditError
from .model import Scoring, Session, SessionInfo


def update_info(session: Session, changes: dict[str, Any], *, actor: str | None) -> Session:
    """Change the session's details. The facilitator's only."""
    require_facilitator(actor, "changes the session's details")
    data = session.session.model_dump()
    data.update(changes)
    try:
        info = SessionInfo.model_validate(data)
    except ValidationError as exc:
        raise ItemError(field_errors(exc)) from None
    # e.g. a vote budget below the dots already cast would save a file that does not load
    return checked(session.model_copy(update={"session": info}))


def update_scoring(session: Session, changes: dict[str, Any], *, actor: str | None) -> Session:
    """Change the ranking's weights. The facilitator's only."""
    require_facilitator(actor, "changes the ranking's weights")
    data = session.scoring.model_dump()
    data.update(changes)
    try:
        scoring = Scoring.model_validate(data)
    except ValidationError as exc:
        raise ItemError(field_errors(exc)) from None
    return session.model_copy(update={"scoring": scoring})


# The session's own details (not ``origin``: that is set by deriving a future state) and the
# ranking's weights, edited together as one form.
SETTINGS_INFO = tuple(f for f in SessionInfo.model_fields if f != "origin")


SETTINGS_WEIGHTS = tuple(Scoring.model_fields)


def settings_values(session: Session) -> dict[str, Any]:
    """The details and weights as a form shows them (no date: ``""``)."""
    values = {**session.session.model_dump(), **session.scoring.model_dump()}
    values.pop("origin", None)
    if values.get("date") is None:
        values["date"] = ""
    return values


def update_settings(session: Session, values: dict[str, Any], *, actor: str | None) -> Session:
    """Change details and weights in one edit (one undo step); ``date = ""`` clears the date.
    The facilitator's only."""
    require_facilitator(actor, "changes the session's details and weights")
    if values.get("date") == "":
        values = {**values, "date": None}
    info = {k: v for k, v in values.items() if k in SETTINGS_INFO}
    weights = {k: v for k, v in values.items() if k in SETTINGS_WEIGHTS}
    unknown = set(values) - set(info) - set(weights)
    if unknown:
        raise EditError(f"not a detail or weight of a session: {', '.join(sorted(unknown))}")
    return update_scoring(update_info(session, info, actor=actor), weights, actor=actor)

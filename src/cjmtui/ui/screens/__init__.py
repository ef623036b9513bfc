"""The workshop's screens: one registry for each screen's key, title, question and home.

Everything that needs to know about a screen reads :data:`SCREENS`: the app's modes and number
keys, the top bar's title, the question under it, the palette's "Go to screen …", which screen
an agenda step runs on and where an item of each table is shown. A new screen is one entry here
and one module in this package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenSpec:
    key: str  # the number key that shows it
    mode: str  # the app mode (and the screen's name)
    label: str  # short, for the key bar
    title: str  # the top bar's, "3 Pain points"
    question: str  # the method's question asked on it
    module: str  # cjmtui.ui.screens.<module> (dotted for a package: "lists.pains")
    cls: str  # the Screen class in that module
    tables: tuple[str, ...] = ()  # the items shown here (go to item lands here)
    step: str | None = None  # the agenda step run on this screen
    votes: bool = False  # dot voting happens here


SCREENS: dict[str, ScreenSpec] = {
    s.mode: s
    for s in (
        ScreenSpec(
            "1",
            "personas",
            "Persona",
            "1 Persona",
            "Who is the customer? Name each customer variation, their goals, needs and frustrations.",
            "lists.personas",
            "PersonasScreen",
            ("personas",),
            step="persona",
        ),
        ScreenSpec(
            "2",
            "stages",
            "Stages",
            "2 Stages",
            "What is the first step of the customer journey? And the next?",
            "lists.stages",
            "StagesScreen",
            ("stages",),
            step="stages",
        ),
        ScreenSpec(
            "3",
            "pains",
            "Pains",
            "3 Pain points",
            "What is the customer experiencing in this step? Their pains (and gains), in their own words.",
            "lists.pains",
            "PainsScreen",
            ("pains",),
            step="pains",
            votes=True,
        ),
        ScreenSpec(
            "4",
            "processes",
            "Processes",
            "4 Internal processes",
            "What internal process runs in parallel to this step? "
            "Why is the customer feeling that pain: which process causes it?",
            "lists.processes",
            "ProcessesScreen",
            ("processes",),
            step="processes",
        ),
        ScreenSpec(
            "5",
            "solutions",
            "Solutions",
            "5 Solutions",
            "What changes to the internal processes would improve the customer's experience?",
            "lists.solutions",
            "SolutionsScreen",
            ("solutions", "participants"),
            step="solutions",
            votes=True,
        ),
        ScreenSpec(
            "6",
            "map",
            "Map",
            "6 Map",
            "The journey end to end: where does pain cluster, and which upstream process causes it?",
            "map",
            "MapScreen",
        ),
        ScreenSpec(
            "7",
            "summary",
            "Summary",
            "7 Summary",
            "Which changes remove the most pain downstream for the least effort? Upstream quick wins first.",
            "summary",
            "SummaryScreen",
            step="prioritise",
        ),
        ScreenSpec(
            "8",
            "departments",
            "Departments",
            "8 Departments",
            "Which internal functions touch this journey, and what does each one do?",
            "lists.departments",
            "DepartmentsScreen",
            ("departments",),
        ),
        ScreenSpec(
            "9",
            "agenda",
            "Agenda",
            "9 Agenda",
            "Keep the room on one step at a time: each step has a timebox. Enter runs the highlighted step.",
            "agenda",
            "AgendaScreen",
        ),
        ScreenSpec(
            "0",
            "parking",
            "Parking lot",
            "0 Parking lot",
            "Off-topic points, parked so the room can move on: turn each into a pain, process or "
            "solution, or close it.",
            "lists.parking",
            "ParkingScreen",
            ("parking",),
        ),
    )
}


def mode_of_table(table: str) -> str:
    """The screen where items of ``table`` are shown."""
    return next(s.mode for s in SCREENS.values() if table in s.tables)


def mode_of_step(step: str) -> str:
    """The screen an agenda step runs on."""
    return next(s.mode for s in SCREENS.values() if s.step == step)

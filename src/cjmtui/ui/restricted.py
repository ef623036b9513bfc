"""What a participant's app as ``cjmtui serve`` starts it (``join --restricted``) does not have.

The app (its keys, the key bar, the help and the palette) and every workshop screen read these;
``tests/ui/test_restricted.py`` tries every key and palette command of such an app.
"""

from __future__ import annotations

# A participant's app as ``cjmtui serve`` starts it (``join --restricted``): these actions are
# gone from the keys, the key bar, the help and the palette. Nothing of theirs opens, creates,
# derives or saves as another file, exports or copies, runs the room, or changes the settings.
RESTRICTED_ACTIONS = frozenset(
    {
        "save_as",
        "bring_back",  # others' items: only the facilitator puts back what a save removed
        "export",
        "copy_ranking",
        "copy",
        "derive_future",
        "open_picker",
        "new_session",
        "settings",
        "timer",
        "extend",
        "next_step",
        "room",
        "screenshot",
        "change_theme",
        "suspend_process",
    }
)
# A screen's own actions a restricted app does not have: reordering a list (J/K; a map's arrow
# keys, also "move", belong to its map widget and stay).
RESTRICTED_SCREEN_ACTIONS = frozenset({"move"})
# Textual's own palette commands that write a file (a screenshot; a theme saved in the settings).
RESTRICTED_COMMANDS = frozenset({"Screenshot", "Theme"})

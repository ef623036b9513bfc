"""The summary's views (screen 7), one widget each: the ranked quick wins and why each ranks
where it does, the impact/effort matrix, the root-cause processes, friction by stage, the
emotion curve, the comparison with the current state, what to validate with customers and the
review meeting. Each is bound to what the summary screen shows (:class:`.view.Shown`) and builds
itself only while it is the view shown; their styles are in ``summary.tcss``."""

from pathlib import Path

SUMMARY_CSS = Path(__file__).with_name("summary.tcss")

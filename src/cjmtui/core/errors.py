"""The errors the core raises: each one says what went wrong and where, in one line."""

from __future__ import annotations


class CjmError(Exception):
    """Base for every error the core raises on purpose (never a traceback for these)."""


class SessionFileError(CjmError):
    """A session file could not be read, parsed or validated.

    ``problems`` lists each problem as ``"where: what"``; ``str()`` gives one clear message
    that names the file first.
    """

    def __init__(self, source: str, problems: list[str] | str) -> None:
        self.source = source
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        shown = self.problems[:10]
        more = len(self.problems) - len(shown)
        lines = [f"{self.source}: {len(self.problems)} problems"]
        lines += [f"  - {p}" for p in shown]
        if more:
            lines.append(f"  … and {more} more")
        return "\n".join(lines)


class SaveError(CjmError):
    """A save failed; the file on disk is exactly as it was before."""


class ConflictError(SaveError):
    """The file changed on disk since it was loaded; saving would overwrite someone's work."""


class EditError(CjmError):
    """An edit was refused. ``field`` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class ExportError(CjmError):
    """An export was refused (bad name, path outside its folder, …); nothing was written."""

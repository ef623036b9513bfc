"""Making user text safe wherever it goes: a terminal, a spreadsheet, a Markdown renderer, a file name.

Workshop notes are typed by anyone in the room, or come from a session file someone sent you.
Whatever they contain, they must show up as the literal text and never act:

- :func:`strip_bidi`: for every output. Bidirectional embeddings and overrides (LRE, RLE, PDF,
  LRO, RLO: U+202A–U+202E), which make text display in another order than it is stored, are
  removed, and so are isolates (U+2066–U+2069) that are not balanced; right-to-left letters
  (Hebrew, Arabic), the direction marks and balanced isolates stay. Every other function here
  calls it, so every output (terminal, Markdown, HTML, SVG, CSV, xlsx, JSON, trackers) treats
  them the same way.
- :func:`printable`: for a terminal. Control characters (C0, DEL, C1: escape sequences, bells,
  carriage returns that overwrite a line) become visible stand-ins and bidi controls are
  cleaned by :func:`strip_bidi`. Everything else, wide characters and right-to-left letters
  included, is kept as it is.
- :func:`csv_cell`: for a spreadsheet. A cell that a spreadsheet would run as a formula gets a
  leading ``'`` (the OWASP "CSV injection" guard); terminal-hostile control characters become
  visible, line breaks and tabs are kept (the csv module quotes them).
- :func:`md_cell` / :func:`md_text`: for Markdown. Every character that could start markup,
  a link, HTML or a table column is escaped, and line breaks become ``" / "``.
- :func:`safe_filename` and :func:`safe_output_path`: for file names made from user text or
  typed in an export dialog; nothing ever leaves its folder.

Pure functions, no I/O apart from the symlink check in :func:`safe_output_path`; no textual.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import ExportError

NEWLINE_MARK = "⏎ "  # what a line break looks like in single-line text
DEL_MARK = "\u2421"  # ␡

# Characters that change the order text is displayed in: embeddings, overrides, isolates.
BIDI_EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO: always removed
BIDI_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, each closed by PDI (U+2069)
BIDI_POP_ISOLATE = "\u2069"
BIDI_CONTROLS = BIDI_EMBEDDINGS + BIDI_ISOLATES + BIDI_POP_ISOLATE
BIDI_PATTERN = re.compile(f"[{BIDI_CONTROLS}]")
_NO_EMBEDDINGS = {ord(ch): None for ch in BIDI_EMBEDDINGS}
# Line breaks besides \n and \r that a terminal or widget may act on.
LINE_SEPARATORS = "\u2028\u2029"


def _control_mark(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 Control Pictures: ␀ ␇ ␛ ...
    if code == 0x7F:
        return DEL_MARK
    return f"\\x{code:02x}"  # C1 has no control pictures


def _table(*, newline: str | None, keep: str = "") -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        if chr(code) not in keep:
            table[code] = _control_mark(code)
    if "\t" not in keep:
        table[ord("\t")] = " "
    if newline is not None:
        table[ord("\n")] = newline
        for ch in LINE_SEPARATORS:
            table[ord(ch)] = newline
    return table


_SINGLE = _table(newline=NEWLINE_MARK)
_MULTI = _table(newline="\n")
# Data (CSV cells): tab and line breaks, which the csv module quotes, stay as they are.
_DATA = _table(newline=None, keep="\t\n\r")

_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def strip_bidi(text: str) -> str:
    """``text`` without the bidi controls that can reorder what is shown around them.

    Embeddings and overrides (U+202A–U+202E) are removed; an isolate (U+2066–U+2068) is kept
    only with the U+2069 that closes it in the same text (a balanced isolate cannot reach
    outside itself), and an unmatched U+2069 is removed. Right-to-left letters, the marks
    LRM/RLM/ALM and everything else stay as they are. Never any visible ``\\u202e`` text.
    """
    if not BIDI_PATTERN.search(text):
        return text
    text = text.translate(_NO_EMBEDDINGS)
    keep: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch in BIDI_ISOLATES:
            opened.append(i)
        elif ch == BIDI_POP_ISOLATE and opened:
            keep.add(opened.pop())
            keep.add(i)
        elif ch in "\n\r\u2029":  # a paragraph ends every isolate still open
            opened.clear()
    return "".join(ch for i, ch in enumerate(text) if ch not in BIDI_ISOLATES + BIDI_POP_ISOLATE or i in keep)


def printable(text: str, *, single_line: bool = True) -> str:
    """``text`` as it can be shown in a terminal: it displays, never acts.

    - ESC, BEL, backspace and the other C0 controls become their U+2400 picture (``␛``,
      ``␇``, ...), DEL becomes ``␡``, C1 controls become ``\\x9b``-style text;
    - bidirectional embeddings and overrides (U+202A–U+202E) and unbalanced isolates
      (U+2066–U+2069) are removed (:func:`strip_bidi`);
    - a tab becomes a space; a line break (``\\r\\n``, ``\\n``, ``\\r``, U+2028, U+2029)
      becomes ``"⏎ "`` when ``single_line`` (the default) and ``"\\n"`` otherwise;
    - everything else (wide characters, emoji, right-to-left letters, combining marks) stays.
    """
    if not isinstance(text, str):
        text = str(text)
    if text.isprintable():  # the common case: nothing to do
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_bidi(text).translate(_SINGLE if single_line else _MULTI)
    return _no_surrogates(text)


def data_text(text: str) -> str:
    """Like :func:`printable`, but tabs and line breaks are kept (for data files like CSV)."""
    if text.isprintable():
        return text
    return _no_surrogates(strip_bidi(text).translate(_DATA))


# ---------------------------------------------------------------------------------------------
# CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab, CR or NUL (also after leading
    spaces) gets a leading ``'``; control characters other than tab and line breaks become
    visible (see :func:`printable`). Numbers (not text) are written as they are: ``-2`` as a
    number is data, never a formula. ``None`` is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    guard = text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START)
    text = data_text(text)
    return "'" + text if guard else text


# ---------------------------------------------------------------------------------------------
# Markdown

_LINE_BREAKS = re.compile(r"[ \t]*(?:(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])[ \t]*)+")
# Backslash-escaped: markup, links, code, tables, headings, math, strikethrough.
_MD_BACKSLASH = set("\\`*_[]|~#${}")
# "&" becomes an entity only where it could start one ("&amp;", "&#38;"): "Sales & Underwriting"
# reads as typed in the file. "<" and ">" always do (no renderer ever sees a tag).
_MD_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _MD_BACKSLASH}, "<": "&lt;", ">": "&gt;"})
_MD_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LIST_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def md_cell(text: object) -> str:
    """User text as one Markdown table cell (or one line of prose), shown literally.

    Line breaks become ``" / "``; ``|`` becomes ``\\|``; backslash, backtick, ``*``, ``_``,
    ``[``, ``]``, ``~``, ``#``, ``$``, ``{``, ``}`` are backslash-escaped; ``<`` and ``>`` become
    HTML entities and so does ``&`` where it could start one (elsewhere it stays as typed, so
    "Sales & Underwriting" reads right as plain text), and a URL's scheme colon, a ``www.`` dot
    and an e-mail address's ``@`` are broken so GitHub's autolinker links none of them (no HTML
    or link is ever rendered from user text: ``tests/e2e/test_markdown_on_github.py`` checks it in cmark-gfm); a
    leading ``-``, ``+``, ``=`` or ``1.`` is escaped so it cannot start a list or heading;
    control characters become visible (see :func:`printable`).
    """
    if text is None:
        return ""
    raw = _LINE_BREAKS.sub(" / ", str(text)).strip()
    raw = printable(raw, single_line=True)
    escaped = _MD_ENTITY_START.sub("&amp;", raw).translate(_MD_ESCAPES)
    escaped = _no_autolinks(escaped)
    return _MD_LIST_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


# GitHub's renderer (cmark-gfm's autolink extension) links bare URLs, www. names and e-mail
# addresses. A backslash before the scheme's colon or the www's dot stops it and shows nothing;
# an e-mail address is only stopped by a word joiner (U+2060, invisible) after its @.
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=/)")
_WWW = re.compile(r"(?i)\bwww\.")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=[\w-]+\\?\.[\w-])")  # the @ of something an e-mail address could be
WORD_JOINER = "\u2060"


def _no_autolinks(text: str) -> str:
    text = _SCHEME.sub(lambda m: m.group(1) + "\\:", text)
    text = _WWW.sub(lambda m: m.group(0)[:3] + "\\.", text)
    return _EMAIL_AT.sub("@" + WORD_JOINER, text)


def md_text(text: object) -> str:
    """User text for Markdown prose (headings, list items): the same escaping as :func:`md_cell`."""
    return md_cell(text)


# ---------------------------------------------------------------------------------------------
# File names

MAX_FILENAME = 80  # characters of a derived name, before the suffix
MAX_TYPED_FILENAME = 200  # characters of a typed name, suffix included
FALLBACK_NAME = "session"
_SEPARATORS = ("/", "\\")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _has_control(name: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in name)


def _refusal(name: str) -> str | None:
    """Why a typed bare file name is refused, or None when it is fine."""
    if not name or not name.strip():
        return "a file name is needed"
    if "\0" in name:
        return "a file name cannot contain a NUL character"
    if any(sep in name for sep in _SEPARATORS) or (os.sep in name) or (os.altsep and os.altsep in name):
        return "a file name cannot contain / or \\ (type a name, not a path)"
    if name in (".", ".."):
        return f"{name!r} is not a file name"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).drive or PureWindowsPath(name).is_absolute():
        return "a file name cannot be an absolute path or name a drive"
    if _has_control(name):
        return "a file name cannot contain control characters"
    return None


def _with_suffix(stem: str, suffix: str) -> str:
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    return stem + suffix


def _strip_suffix(name: str, suffix: str) -> str:
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    if suffix and name.lower().endswith(suffix.lower()):
        return name[: -len(suffix)]
    return name


def safe_filename(name: str, *, suffix: str, strict: bool = False) -> str:
    """A file name (never a path) made from ``name``, ending in ``suffix``.

    ``strict=True`` is for a name the user typed (an export dialog): a NUL, a path separator,
    ``.``/``..``, an absolute path, a drive or a control character is refused with
    :class:`ExportError` rather than silently changed.

    ``strict=False`` is for a name derived from user text (a session title): every run of
    separators, whitespace and characters that are unsafe in file names becomes ``-``,
    leading dots and dashes are dropped (no hidden files, nothing that looks like an option),
    the stem is limited to 80 characters and is never empty (``"session"``).
    """
    if strict:
        reason = _refusal(name)
        if reason is not None:
            raise ExportError(f"{printable(name)!s}: {reason}" if name else reason)
        stem = _strip_suffix(name.strip(), suffix)
        if not stem.strip(". "):
            raise ExportError(f"{printable(name)}: a file name is needed before {suffix}")
        result = _with_suffix(stem, suffix)
        if len(result) > MAX_TYPED_FILENAME:
            raise ExportError(f"file name too long (at most {MAX_TYPED_FILENAME} characters)")
        return result

    text = unicodedata.normalize("NFC", str(name))
    text = _strip_suffix(text.strip(), suffix)
    chars = []
    for ch in text:
        if ch.isalnum() or ch in "-_.":
            chars.append(ch)
        else:
            chars.append("-")
    stem = "".join(chars)
    stem = re.sub(r"-*\.-*", ".", stem)  # "a - . b" → "a.b"
    stem = re.sub(r"\.{2,}", ".", stem)
    stem = re.sub(r"-{2,}", "-", stem)
    stem = stem.lstrip(".-_").rstrip(".-")
    stem = stem[:MAX_FILENAME].rstrip(".-")
    if not stem:
        stem = FALLBACK_NAME
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"{stem}-{FALLBACK_NAME}"
    return _with_suffix(stem, suffix)


def safe_output_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a bare file name the user typed, refusing anything that leaves ``folder``.

    Refused with :class:`ExportError`: an empty name, a NUL, a path separator, ``.``/``..``,
    an absolute path or drive, a control character, an existing folder, and an existing
    symlink (or anything else) whose real location is outside ``folder``.
    """
    reason = _refusal(name)
    if reason is not None:
        raise ExportError(f"{printable(name)}: {reason}" if name else reason)
    folder = Path(folder)
    candidate = folder / name
    try:
        if candidate.is_symlink() or candidate.exists():
            real = candidate.resolve()
            base = folder.resolve()
            if not real.is_relative_to(base):
                raise ExportError(
                    f"{printable(str(candidate))}: is a link to a place outside {printable(str(folder))}; "
                    "choose another name"
                )
            if real.is_dir():
                raise ExportError(f"{printable(str(candidate))}: is a folder; choose a file name")
    except (OSError, RuntimeError) as exc:  # a symlink loop, a permission problem
        raise ExportError(f"{printable(str(candidate))}: cannot check this name ({exc})") from None
    return candidate

"""Textual's stylesheet, with its parsed CSS kept across re-parses.

Why: Textual re-parses every CSS source whenever a screen is shown for the first time (and when
the theme changes): ``Stylesheet.reparse`` parses into a fresh ``Stylesheet`` whose parse cache
starts empty, and ``Stylesheet.set_variables`` empties the cache (the app sets the same
variables again on every CSS refresh). cjmtui shows each of its ten screens for the first time
as the facilitator moves through the method, so each first visit parsed app.tcss and every
widget's default CSS again, two or three times (about 40 ms of a first visit, measured with
``bench/tui.py --screens``).

The upstream behaviour: Textual's parse cache (https://github.com/Textualize/textual/pull/3575)
lives on one ``Stylesheet`` and "is cleared if variables are updated"; ``reparse`` makes a new
``Stylesheet`` without it. No upstream issue asks to keep it across re-parses.

How: the same source parsed with the same variables gives the same rules (Textual's own
``parse`` reuses them from its cache), so :class:`SharedParseStylesheet` keeps one parse cache
per set of CSS variables (one per theme) and hands it to each re-parse. ``reparse`` is Textual's
own, copied, with that one line added. Everything else is Textual's.

Hooks (tests/project/test_textual_hooks.py): the private attributes ``reparse`` touches
(``_parse_cache``, ``_variables``, ``_invalid_css``, ``_rules``, ``_rules_map``,
``_require_parse``) and ``add_source``'s arguments; and that Textual's own ``reparse`` still
does only what the copy here does.

Delete when: Textual keeps its parse cache across ``reparse`` and ``set_variables`` with the
same variables (measure a first visit with ``bench/tui.py --screens`` before and after).
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

PARSE_CACHE_SIZE = 256  # sources per theme: Textual's widgets' default CSS, app.tcss, a few screens


class SharedParseStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._shared: dict[tuple[tuple[str, str], ...], LRUCache[tuple[object, ...], list[RuleSet]]] = {}
        self._parse_cache = self._cache_for(self._variables)

    def _cache_for(self, variables: dict[str, str]) -> LRUCache[tuple[object, ...], list[RuleSet]]:
        return self._shared.setdefault(tuple(sorted(variables.items())), LRUCache(PARSE_CACHE_SIZE))

    def set_variables(self, variables: dict[str, str]) -> None:
        """Textual's ``set_variables``, which empties the parse cache (the app sets the same
        variables again on every CSS refresh): here the cache of these variables is used."""
        self._parse_cache = LRUCache(1)  # Textual empties the cache it finds: a throwaway one
        super().set_variables(variables)
        self._parse_cache = self._cache_for(self._variables)

    def reparse(self) -> None:
        """Textual's ``reparse``, with the parse cache of these variables carried over."""
        stylesheet = Stylesheet(variables=self._variables)
        stylesheet._parse_cache = self._cache_for(self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False

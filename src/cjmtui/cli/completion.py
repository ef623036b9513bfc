"""Shell completion for ``cjmtui``, generated from the command line's own parsers.

``cjmtui completion bash`` prints a bash completion function (zsh runs it through
``bashcompinit``): the commands, each command's options, the values of options that take a
fixed list (formats, templates, journeys), and session files (``*.toml``) and folders for the
rest. It is made from the same argparse parsers that read the command line, so it cannot list
an option the program does not take; no completion library is needed.
"""

from __future__ import annotations

import argparse
import shlex

SHELLS = ("bash", "zsh")


def _words(values: object) -> str:
    """Words for ``compgen -W``, one a line (the function splits on line breaks only), quoted once."""
    return shlex.quote("\n".join(str(v) for v in values))  # type: ignore[attr-defined]


def bash_script(commands: argparse.ArgumentParser, tui: argparse.ArgumentParser) -> str:
    sub = next(a for a in commands._actions if isinstance(a, argparse._SubParsersAction))
    top = [*sub.choices, *(o for a in tui._actions for o in a.option_strings)]
    options, values, positional = [], [], []
    for name, parser in sub.choices.items():
        opts = [o for a in parser._actions for o in a.option_strings]
        options.append(f"        {name}) opts={_words(opts)} ;;")
        for action in parser._actions:
            if action.choices and action.option_strings:
                pattern = "|".join(f"{name}:{o}" for o in action.option_strings)
                words = _words(action.choices)
                values.append(f'        {pattern}) COMPREPLY=($(compgen -W {words} -- "$cur")); return ;;')
        plain = [a for a in parser._actions if not a.option_strings]
        for index, action in enumerate(plain):
            if action.choices:  # completion {bash,zsh}: its words, not files
                words = _words(action.choices)
                positional.append(f'        {name}:{index + 2}) COMPREPLY=($(compgen -W {words} -- "$cur")); return ;;')
    return "\n".join(
        [
            "# cjmtui completion for bash (and zsh: autoload -U bashcompinit && bashcompinit).",
            '# Load it with:  eval "$(cjmtui completion bash)"',
            "_cjmtui() {",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="${COMP_WORDS[1]}" opts',
            "    local IFS=$'\\n'  # one candidate a line: 'My workshop.toml' stays one word",
            "    if [[ $COMP_CWORD -eq 1 && $cur != -* && $cur != */* ]]; then",
            f'        COMPREPLY=($(compgen -W {_words(top)} -- "$cur") $(compgen -f -X \'!*.toml\' -- "$cur")'
            ' $(compgen -d -- "$cur"))',
            "        return",
            "    fi",
            '    case "$cmd:$prev" in',
            *values,
            '        *:-o|*:--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;  # any file name',
            "    esac",
            '    case "$cmd:$COMP_CWORD" in',
            *positional,
            "    esac",
            '    case "$cmd" in',
            *options,
            f"        *) opts={_words(o for a in tui._actions for o in a.option_strings)} ;;",
            "    esac",
            "    if [[ $cur == -* ]]; then",
            '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
            "    else",
            '        COMPREPLY=($(compgen -f -X \'!*.toml\' -- "$cur") $(compgen -d -- "$cur"))',
            "    fi",
            "}",
            "complete -o filenames -F _cjmtui cjmtui",
            "",
        ]
    )

"""The ``cjmtui`` command, and ``python -m cjmtui``.

Start-up runs without the cyclic garbage collector. Importing Textual, pydantic and the session
models, and loading a session, make tens of thousands of objects that all live as long as the
program: the collector's passes over them cost 30-50 ms of the first screen (``bench/tui.py``)
and found nothing to free. It is turned on again once the program is up: by a command before it
starts its work, by the TUI once its first screen is drawn (which then freezes what is alive,
see :meth:`cjmtui.ui.app.CjmApp.open_workspace`).
"""

import gc
import sys


def main() -> int:
    gc.disable()
    try:
        from .cli import main as run

        return run()
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())

"""Helpers shared by the tests and the benchmarks: the tmux driver (:mod:`.tmux`), the one
"skip unless installed, fail under CI" check (:mod:`.needs`), the soak length (:mod:`.soak`)
and the snapshots' text twins (:mod:`.snapshots`). Test modules import from here, never from
each other; fixtures live in the ``conftest.py`` files."""

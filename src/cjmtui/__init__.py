"""cjmtui: run Level 1 customer journey mapping workshops and rank the upstream quick wins."""

import os as _os

# cjmtui uses no pydantic plugins; looking them up scans every installed package's metadata
# (about 30 ms of start-up). A user who wants plugins can still set the variable themselves.
_os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"

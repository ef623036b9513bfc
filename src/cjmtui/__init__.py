"""cjmtui: run Level 1 customer journey mapping workshops and rank the upstream quick wins."""

__version__ = "0.1.0"

"""The Textual user interface. The only package of cjmtui that imports textual."""

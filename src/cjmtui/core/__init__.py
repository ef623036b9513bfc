"""The headless core: model, store, editing, scoring and export. Never imports textual."""

"""Use cases: one function per use case, the only code that writes (see STYLE: layers)."""

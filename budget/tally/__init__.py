"""Command line for the tally engine: `python -m budget.tally FILE.pb --rule NAME`."""

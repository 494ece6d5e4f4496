"""The rules of the game, in plain Python: no Flask, no SQLAlchemy.

Everything here takes plain data and returns plain data, so it can be tested and reused alone.
The standard library only, except numpy in the tally engine (tally/: vote profiles, Method of
Equal Shares); import-linter enforces both (pyproject.toml, [tool.importlinter]).
"""

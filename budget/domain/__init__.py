"""The rules of the game, in plain Python: no Flask, no SQLAlchemy.

Everything here takes plain data and returns plain data, so it can be tested and reused alone.
"""

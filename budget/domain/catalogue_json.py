"""JSON read with the line of every object, so that an import can say where a file is wrong.

`load(text)` returns plain data whose dicts are `Located` (a dict with a `line`: where its
opening brace is). Python's json module reads it (its pure-Python scanner, with the object
parser wrapped), so the file is read exactly as json.loads reads it.
"""
from __future__ import annotations

import bisect
import json
from json import decoder, scanner


class Located(dict):
    """A JSON object, and the 1-based line of its opening brace."""

    line: int = 1


class _Decoder(json.JSONDecoder):
    def __init__(self, text: str):
        super().__init__()
        newlines = [i for i, c in enumerate(text) if c == "\n"]

        def parse_object(s_and_end, *args, **kwargs):
            start = s_and_end[1] - 1  # the brace
            pairs, end = decoder.JSONObject(s_and_end, *args, **kwargs)
            located = Located(pairs)
            located.line = bisect.bisect_left(newlines, start) + 1
            return located, end

        self.parse_object = parse_object
        self.scan_once = scanner.py_make_scanner(self)


def load(text: str):
    """The document in `text`. Raises json.JSONDecodeError (with its `lineno`)."""
    return _Decoder(text).decode(text)

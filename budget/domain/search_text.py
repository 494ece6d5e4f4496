"""French text made searchable the same way on every database: lower case, no accents, words.

A proposal stores `searchable(title, description)`; a search turns what was typed into
`query_words`. Each query word matches the stored words it begins (a prefix): "velo" and "vélo"
find "Vélos", and a typed plural is searched without its final s or x ("vélos" finds "vélo").
Small French words that carry no meaning of their own ("les", "des", "pour") are ignored.
"""
from __future__ import annotations

import re
import unicodedata

# Ligatures NFKD leaves alone.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur mais ou par pour qu que "
    "qui sa se ses son sur un une".split())
MAX_QUERY_WORDS = 8  # a search box, not a document: the rest is ignored


def plain(text: str) -> str:
    """`text` in lower case, without accents or ligatures."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(plain(text))


def searchable(*texts: str) -> str:
    """What a proposal stores to be found: its texts' words, plain, separated by single
    spaces, with a space first (so that a word's start is always after a space)."""
    return " " + " ".join(word for text in texts for word in words(text or ""))


def query_words(query: str) -> list[str]:
    """The words a search looks for (at most MAX_QUERY_WORDS, each a prefix): plain letters
    and digits only, so that they are safe in any query language; [] when nothing is left."""
    found = []
    for word in words(query or ""):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        if word not in found:
            found.append(word)
    return found[:MAX_QUERY_WORDS]

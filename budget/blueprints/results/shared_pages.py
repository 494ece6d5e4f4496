"""Results day from storage: the published results page and files, the same for everyone who
is not signed in, are built once and served with a strong ETag and `Cache-Control: public`, so
that browsers and nginx (deploy/nginx/budget-proxy.conf, `proxy_cache`) keep them.

What makes a response shareable (`shareable_request`): a published run (never a preview), an
anonymous visitor, no message waiting in the session (a flash shows once, to one person), and
no query string. A signed-in person's page names them (and may offer to record a council's
decision): it is rendered for them and sent with `Cache-Control: no-store`, as every page is.
Pages vary by language, chosen by the session or by Accept-Language: responses say
`Vary: Cookie, Accept-Language`, the stored file's name carries the language, and nginx does
not cache any request that carries a cookie.

Where they are stored: in EXPORT_CACHE_FOLDER (services/exports/stored.py), next to the files,
not in the database. They are a cache that any server rebuilds from the stored run in a second;
in the database they would add megabytes per run and language to the WAL, the replica and the
backups. Each app server keeps its own copy (or shares the folder); nginx in front serves most
requests before they reach one.

The stored page's name carries what changes it after publication: the council's decisions
(adoption.revision) and the release (`release()`: a hash of the templates and translations,
so a deployment never serves a page rendered by the previous one). Which run is published and
its decisions' revision are kept in each process for PAGE_MEMO_SECONDS (`published_key`), so
that a stored page costs no query: a decision recorded, or a recount published, shows on an
anonymous visitor's page within those seconds (plus MAX_AGE in caches that kept it).
"""
from __future__ import annotations

import functools
import hashlib
import time
from pathlib import Path
from typing import NamedTuple

from flask import Response, current_app, request, session
from flask_login import current_user

from budget.services import adoption, cycles
from budget.services.exports.stored import etag_of

# Long enough for results day's crowd to be served from caches, short enough for a council's
# decision, recorded later, to show within minutes (after which the ETag says whether it changed).
MAX_AGE = 300
VARY = ("Cookie", "Accept-Language")
PACKAGE = Path(__file__).resolve().parents[2]


class PublishedKey(NamedTuple):
    """What names a published results page: the run (as services/exports/stored.py reads it)
    and the revision of its council decisions."""
    id: int
    fingerprint: str
    revision: str


_published: dict[int, tuple[float, PublishedKey]] = {}


def published_key(cycle_id: int) -> PublishedKey | None:
    """The cycle's published run, kept PAGE_MEMO_SECONDS; None when nothing is published (or
    no such cycle: the page then answers as for anyone)."""
    found = _published.get(cycle_id)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    cycle = cycles.get_cycle(cycle_id)
    run = cycle.published_run if cycle is not None else None
    if run is None:
        return None
    key = PublishedKey(run.id, run.fingerprint, adoption.revision(run))
    seconds = current_app.config["PAGE_MEMO_SECONDS"]
    if seconds:
        if len(_published) > 1000:
            _published.clear()
        _published[cycle_id] = (time.monotonic() + seconds, key)
    return key


def shareable_request() -> bool:
    """Whether this request's page is the one every anonymous visitor gets."""
    return (not current_user.is_authenticated and "_flashes" not in session
            and not request.args)


@functools.cache
def release() -> str:
    """12 hex digits naming the templates and compiled translations of this installation."""
    digest = hashlib.sha256()
    for folder, pattern in (("templates", "**/*.html"), ("translations", "**/*.mo")):
        for path in sorted((PACKAGE / folder).glob(pattern)):
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shared_response(data: Path | bytes, mimetype: str) -> Response:
    """`data` (a stored file or bytes) with its ETag, public for MAX_AGE seconds; a 304 without
    a body when the request's If-None-Match names it."""
    body = data.read_bytes() if isinstance(data, Path) else data
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = mimetype
    response.set_etag(etag_of(data))
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.update(VARY)
    return response.make_conditional(request)

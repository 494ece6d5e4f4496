from urllib.parse import urlsplit

from flask import url_for


def safe_next_url(target: str | None) -> str:
    """Only follow a ?next= that stays on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("public.home")

"""Lists that can grow are shown a page at a time: `?page=N`, 50 rows a page, with the count.

A page number that is not a whole number is the first page; one past the end is the last
page (never a 404 or a 500: an old link to page 3 of a list that shrank still shows rows).
Templates show the pager with `_macros/pages.html`."""
from __future__ import annotations

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from budget.blueprints.numbers import bounded_int
from budget.extensions import db

PER_PAGE = 50


def paginate(statement: Select, per_page: int = PER_PAGE) -> Pagination:
    """The page of `statement`'s rows that the request's `?page=` asks for."""
    number = max(request.args.get("page", 1, type=bounded_int), 1)
    page = db.paginate(statement, page=number, per_page=per_page, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(statement, page=page.pages, per_page=per_page, error_out=False)
    return page

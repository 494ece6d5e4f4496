"""`/bench/bare`: the base template and nothing else, the peer of the results and cycle pages in
bench/city_scale.py (issue 21). Registered only when BENCH_BARE_PAGE is on (config.py: off
unless the environment says BENCH_BARE_PAGE=1, which the benchmark alone does), so no
installation serves it; it reads no data and answers the same page to everyone."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("ops_bench", __name__)


@bp.route("/bench/bare")
def bare_page():
    return render_template("base.html")

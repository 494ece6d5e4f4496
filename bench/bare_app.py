"""The peer of bench/vote_load.py: the same app (same middleware, session, security headers,
logs, gunicorn configuration) with one extra route that reads the same form, inserts one row
and answers with the same page as a ballot (the receipt, with a code). Its throughput is the
floor set by the machine for "an HTTP request that writes to PostgreSQL"; a ballot is measured
against it.

Served with `gunicorn -c deploy/gunicorn.conf.py bench.bare_app:app`; the route exists only in
this module, never in the app that `make serve-prod` runs.
"""
from types import SimpleNamespace

from flask import render_template, request

from bench.voters import bench_rows
from budget import create_app
from budget.extensions import csrf, db

app = create_app()


@app.post("/cycles/<int:cycle_id>/vote/bare")
@csrf.exempt
def bare(cycle_id: int):
    db.session.execute(bench_rows.insert().values(project=request.form.get("project", "")))
    db.session.commit()
    return render_template("vote/receipt.html", cycle=SimpleNamespace(id=cycle_id),
                           code="ABCD-EFGH-JKMN")

"""The peer of bench/vote_load.py: a trivial Flask route, served by the same gunicorn
configuration, that reads the same form and answers with a redirect like a ballot does."""
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/cycles/<int:cycle_id>/vote/confirm")
def bare(cycle_id: int):
    request.form.get("project")
    return redirect(f"/cycles/{cycle_id}/vote/receipt")


@app.get("/readyz")
def ready():
    return "ok"

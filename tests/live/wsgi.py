"""The app as the live tests serve it: built once in gunicorn's master (--preload) and warmed
up there (templates compiled, translations loaded), so that a worker forked after a kill serves
its first request at once. The warm-up's database connections are closed before any fork."""
from budget import create_app
from budget.extensions import db

app = create_app()
with app.test_request_context():
    for page in ("/", "/login"):
        app.test_client().get(page, headers={"Accept-Language": "fr"})
    app.jinja_env.get_template("vote/receipt.html")
    app.jinja_env.get_template("vote/ballot.html")
with app.app_context():
    db.session.remove()
    db.engine.dispose()

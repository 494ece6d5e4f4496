"""What became of the winning projects, for everyone: the cycle's "Suivi des projets" page
with its delivery summary per commune, and the milestones' photos."""
from flask import abort, render_template, request, send_file
from flask_babel import format_date, format_percent, gettext

from budget.blueprints import subjects
from budget.blueprints.numbers import bounded_int
from budget.blueprints.tracking.blueprint import bp
from budget.domain.delivery import STAGE_LABELS, Stage
from budget.services import images, themes, tracking, tracking_read
from budget.read_replica import replica_readable

INTERCOMMUNAL = "intercommunal"  # the commune filter's value for the intercommunal envelope


@bp.app_template_filter("stage_label")
def stage_label(stage) -> str:
    return gettext(STAGE_LABELS[Stage(getattr(stage, "value", stage))])


@bp.app_template_filter("progress")
def progress(value: int) -> str:
    """A progress percentage: "45 %" in French."""
    return format_percent(value / 100)


@bp.app_template_filter("month")
def month(value) -> str:
    """A planned date as residents read it: "juin 2027"."""
    return format_date(value, "MMMM y")


def _filters(cycle):
    """The commune and stage asked in the query string, each None when absent or unknown."""
    communes = {c.id: c for c in cycle.intercommunality.communes
                if any(e.commune_id == c.id for e in cycle.envelopes)}
    commune_id = request.args.get("commune", type=bounded_int)
    intercommunal = request.args.get("commune") == INTERCOMMUNAL and any(
        e.commune_id is None for e in cycle.envelopes)
    stage = request.args.get("stage", "")
    return (communes, commune_id if commune_id in communes else None, intercommunal,
            Stage(stage) if stage in {s.value for s in Stage} else None)


def _shown(cycle_id: int) -> dict:
    """What the list and the map show: the published cycle's winners kept by the filters the
    query string asks (commune or the intercommunal envelope, stage, theme), and the filters'
    choices; 404 before publication."""
    cycle = subjects.cycle(cycle_id)
    if cycle.published_run is None:
        abort(404)
    communes, commune_id, intercommunal, stage = _filters(cycle)
    cycle_themes = themes.themes_of(cycle)
    theme_id = request.args.get("theme", type=bounded_int)
    theme_id = theme_id if theme_id in {t.id for t in cycle_themes} else None
    arguments = {"commune": INTERCOMMUNAL if intercommunal else commune_id,
                 "stage": stage.value if stage else None, "theme": theme_id}
    return dict(
        cycle=cycle, communes=communes.values(), commune_id=commune_id,
        intercommunal=intercommunal, stage=stage, stages=list(Stage), themes=cycle_themes,
        theme_id=theme_id, has_intercommunal=any(e.commune_id is None for e in cycle.envelopes),
        arguments={name: value for name, value in arguments.items() if value is not None},
        trackings=tracking_read.of_cycle(cycle, commune_id, stage, intercommunal, theme_id),
        today=tracking.today(), read=tracking_read)


@bp.route("/cycles/<int:cycle_id>/tracking")
@replica_readable
def cycle_tracking(cycle_id: int):
    """Each winner with its stage, progress, money spent against voted, next milestone and a
    photo; filters by commune, stage and theme (a GET form); the summary per commune."""
    shown = _shown(cycle_id)
    return render_template("tracking/cycle.html", **shown,
                           summary=tracking_read.summary(tracking_read.of_cycle(shown["cycle"])))


@bp.route("/cycles/<int:cycle_id>/tracking/map")
@replica_readable
def cycle_tracking_map(cycle_id: int):
    """The same winners, with the same filters, on a map (static/proposal-map.js, Leaflet as
    the proposals' map) placed where their proposal said; the list under it is the page
    without JavaScript."""
    shown = _shown(cycle_id)
    placed = [t for t in shown["trackings"] if t.proposal.latitude is not None]
    return render_template("tracking/map.html", **shown, placed=placed,
                           unplaced=len(shown["trackings"]) - len(placed))


@bp.route("/tracking/photos/<token>")
@bp.route("/tracking/photos/<token>/thumbnail", endpoint="thumbnail",
          defaults={"thumbnail": True})
@replica_readable
def photo(token: str, thumbnail: bool = False):
    found = tracking_read.photo_by_token(token) or abort(404)
    path = images.image_path(found, thumbnail)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg")

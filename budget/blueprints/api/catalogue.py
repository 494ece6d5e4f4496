"""/api/v1/catalogue: the catalogue of funded projects, read-only, a page at a time."""
from flask import jsonify, request
from flask_babel import gettext

from budget.blueprints.api.blueprint import bp
from budget.blueprints.pagination import paginate
from budget.domain.catalogue import LOCAL_SOURCE, Progress, themes_of
from budget.links import public_url
from budget.services import catalogue

PER_PAGE = 100


def entry_json(row) -> dict:
    entry, stage, delivered = row
    return {"id": entry.id, "title": entry.title, "description": entry.description,
            "cost": entry.cost, "currency": entry.currency, "themes": themes_of(entry.themes),
            "territory": {"name": entry.territory_name, "code": entry.territory_code,
                          "population_band": entry.population_band},
            "year": entry.year, "selected": entry.selected, "stage": stage,
            "delivered_on": delivered.isoformat() if delivered else None,
            "source": None if entry.source == LOCAL_SOURCE else entry.source,
            "external_id": entry.external_id, "licence": entry.licence or None,
            "url": public_url("catalogue.entry", entry_id=entry.id)}


@bp.route("/catalogue")
def list_catalogue():
    """The catalogue searched (`q`), filtered (`theme`, a theme's name; `status`), `page`."""
    status = request.args.get("status", "")
    if status and status not in {p.value for p in Progress}:
        return jsonify({"error": "bad request", "message": gettext(
            "These parameters cannot be read: %(names)s.", names="status")}), 400
    criteria = catalogue.Criteria(q=request.args.get("q", "")[:200],
                                  theme=request.args.get("theme", "")[:100], status=status)
    page = paginate(catalogue.search_statement(criteria), per_page=PER_PAGE)
    return jsonify({"total": page.total, "page": page.page, "pages": page.pages,
                    "entries": [entry_json(row) for row in catalogue.with_stages(page.items)]})

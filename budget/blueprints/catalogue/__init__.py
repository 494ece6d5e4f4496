"""The catalogue of funded projects: its public pages (views.py); the admins' import page is
in blueprints/admin/catalogue.py, the API in blueprints/api/catalogue.py."""
from budget.blueprints.catalogue import views  # noqa: F401  (routes register on import)
from budget.blueprints.catalogue.blueprint import bp

__all__ = ["bp"]

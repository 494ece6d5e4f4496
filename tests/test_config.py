import pytest

from budget import create_app
from config import DEV_SECRET_KEY, ProductionConfig


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key or DEV_SECRET_KEY)
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.fixture
def production(monkeypatch):
    """A complete production configuration, for each test to spoil one setting of."""
    key = "x" * 40
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", "https://budget.example.fr")
    monkeypatch.setattr(ProductionConfig, "MAIL_SERVER", "smtp.example.fr")
    return monkeypatch


def test_production_starts_with_a_real_secret_key(production, tmp_path):
    app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.db")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug


@pytest.mark.parametrize("url", [None, "", "http://budget.example.fr", "budget.example.fr",
                                 "https://budget.example.fr/vote", "https://"])
def test_production_refuses_to_start_without_its_public_https_url(production, url):
    production.setattr(ProductionConfig, "PUBLIC_URL", url)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app("production")


def test_links_name_the_public_url_outside_a_request_too(production, tmp_path):
    app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.db")
    from budget.links import public_url

    with app.app_context():
        assert public_url("auth.reset_password", token="t") == \
            "https://budget.example.fr/password/reset/t"


def test_trusted_hosts_refuse_other_hosts_and_keep_the_public_one(production, tmp_path):
    app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.db",
                     TRUSTED_HOSTS=["10.0.0.11"])
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "10.0.0.11:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "budget.example.fr"}).status_code == 200

"""
/healthz, as a load balancer or monitor reads it: JSON naming each part,
200 when all are ok, 503 naming the part that failed; no cookie, never
cached. A database that goes away is tested for real in
test_database_outage.py.
"""

import pytest

from tests.outage_site import free_port

pytestmark = pytest.mark.django_db


def assert_read_as_health_check(response):
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"].replace(" ", "").split(",")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_is_200_with_database_and_cache_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert_read_as_health_check(response)


def test_healthz_is_503_naming_the_cache_when_it_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/healthz")

    assert response.status_code == 503
    health = response.json()
    assert health["status"] == "unavailable"
    assert health["database"] == "ok"
    assert health["cache"].startswith("unavailable: ")
    assert_read_as_health_check(response)

"""Per-tenant rate limits (TENANT_RATE_LIMITS): a tenant over its rate gets 429 with Retry-After,
other tenants are not slowed, and the limit holds across API processes sharing a port."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.main import ConfigurationError, create_app
from api.ratelimit import Rate, RateLimiter, parse_limits
from tests.api.conftest import api_settings
from tests.conftest import make_settings
from tests.support.samples import ENDPOINTS
from tests.support.servers import ServerThread

CONSULTA = ENDPOINTS[0]
A = {"Authorization": "Bearer chave-a"}  # hospital_a
B = {"Authorization": "Bearer chave-b"}  # hospital_b


def test_rate_limits_are_read_from_the_documented_syntax() -> None:
    assert parse_limits("tenant_a=200/s,*=100/s") == {"tenant_a": Rate(200, 1), "*": Rate(100, 1)}
    assert parse_limits("x=30/m, y=1000/h") == {"x": Rate(30, 60), "y": Rate(1000, 3600)}
    assert parse_limits(None) == {} == parse_limits("")


@pytest.mark.parametrize("bad", ["tenant_a=200", "tenant_a=fast/s", "=5/s", "a=0/s", "a=5/d"])
def test_a_malformed_rate_limit_stops_the_api_at_start(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigurationError, match="TENANT_RATE_LIMITS"):
        create_app(make_settings(tmp_path, tenant_rate_limits=bad))


def _post_many(client: httpx.Client, headers: dict[str, str], n: int) -> list[httpx.Response]:
    return [client.post(CONSULTA.path, json=CONSULTA.payload(), headers=headers) for _ in range(n)]


@pytest.fixture
def limited(tmp_path: Path, broker_url: str, vhost_prefix: str) -> Iterator[list[httpx.Client]]:
    """Two API servers (as two processes sharing a port would be) with one limit file:
    hospital_a may send 3 tasks a minute, hospital_b 1000 a second."""
    settings = api_settings(tmp_path, broker_url, vhost_prefix).model_copy(
        update={
            "tenant_rate_limits": "hospital_a=3/m,*=1000/s",
            "rate_limit_file": str(tmp_path / "buckets"),
        }
    )
    with (
        ServerThread(create_app(settings)) as one,
        ServerThread(create_app(settings, fast_lane=False)) as two,
        httpx.Client(base_url=one.url, timeout=15) as c1,
        httpx.Client(base_url=two.url, timeout=15) as c2,
    ):
        yield [c1, c2]


@pytest.mark.broker
def test_tenant_over_its_rate_gets_429_with_retry_after_while_another_is_not_slowed(limited) -> None:
    client = limited[0]
    a_answers = _post_many(client, A, 8)
    b_answers = _post_many(client, B, 8)

    assert [r.status_code for r in a_answers] == [202] * 3 + [429] * 5
    for resp in a_answers[3:]:
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
        assert "rate limit" in resp.json()["detail"]
    assert [r.status_code for r in b_answers] == [202] * 8


@pytest.mark.broker
def test_the_limit_holds_across_api_processes(limited) -> None:
    one, two = limited  # the first serves task POSTs in its fast lane, the second through FastAPI
    answers = [r.status_code for client in (one, two, one) for r in _post_many(client, A, 2)]
    assert answers == [202, 202, 202, 429, 429, 429]


def _take(path: str, n: int) -> int:
    limiter = RateLimiter({"t": Rate(10, 60)}, ["t"], path)
    granted = sum(1 for _ in range(n) if limiter.acquire("t") == 0.0)
    limiter.close()
    return granted


def test_processes_sharing_the_limit_file_grant_one_bucket_between_them(tmp_path: Path) -> None:
    path = str(tmp_path / "buckets")
    RateLimiter({"t": Rate(10, 60)}, ["t"], path).close()  # create it before they race
    with mp.get_context("spawn").Pool(4) as pool:
        granted = pool.starmap(_take, [(path, 25)] * 4)
    assert sum(granted) == 10

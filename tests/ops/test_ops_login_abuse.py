"""The console resists abuse: cross-site button presses, password guessing, user enumeration
(docs/operations.md). The effect of a login flood on the API's latency is a benchmark figure:
bench/ops_login_flood.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bcrypt
import httpx
import pytest

from api.main import create_app
from api.ops import auth
from tests.conftest import make_settings
from tests.support.servers import ServerThread

PASSWORD = "senha-da-coordenacao"


@pytest.fixture
def ops_url(tmp_path: Path) -> Iterator[str]:
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    # No broker needed: the console's login and origin checks come before any broker work.
    settings = make_settings(
        tmp_path, rabbitmq_url="amqp://guest:guest@127.0.0.1:1/", ops_users=f"ana:{hashed}"
    )
    with ServerThread(create_app(settings)) as server:
        yield server.url


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},  # a cross-site form on a no-referrer page
        {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://outro.hospital.example"},
        {"Referer": "https://evil.example/form.html"},
    ],
)
def test_a_cross_site_button_press_is_refused_even_with_valid_credentials(
    ops_url: str, headers: dict[str, str]
) -> None:
    resp = httpx.post(f"{ops_url}/ops/tasks/{uuid.uuid4()}/replay", auth=("ana", PASSWORD), headers=headers)
    assert resp.status_code == 403


def test_a_same_origin_button_press_gets_past_the_origin_check(ops_url: str) -> None:
    host = ops_url.split("://", 1)[1]
    resp = httpx.post(
        f"{ops_url}/ops/tasks/{uuid.uuid4()}/replay",
        auth=("ana", PASSWORD),
        headers={"Sec-Fetch-Site": "same-origin", "Origin": f"http://{host}"},
    )
    assert resp.status_code == 404  # an unknown task, not a refused origin


def test_password_guessing_is_stopped_per_user_with_retry_after(ops_url: str) -> None:
    answers = [
        httpx.get(f"{ops_url}/ops", auth=("ana", f"chute-{i}")).status_code
        for i in range(auth.MAX_FAILURES_PER_USER)
    ]
    assert answers == [401] * auth.MAX_FAILURES_PER_USER
    blocked = httpx.get(f"{ops_url}/ops", auth=("ana", PASSWORD))
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= auth.FAILURE_WINDOW_S
    # Someone else on another name from the same client is not blocked yet.
    assert httpx.get(f"{ops_url}/ops", auth=("bruno", "x")).status_code == 401


def test_password_guessing_across_many_names_is_stopped_per_client(ops_url: str) -> None:
    codes = [
        httpx.get(f"{ops_url}/ops", auth=(f"user{i}", "x")).status_code
        for i in range(auth.MAX_FAILURES_PER_CLIENT)
    ]
    assert set(codes) == {401}
    resp = httpx.get(f"{ops_url}/ops", auth=("ana", PASSWORD))
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0


def test_an_unknown_user_costs_a_bcrypt_check_like_a_wrong_password(
    ops_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    costs: list[int] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> Any:
        costs.append(int(hashed[4:6]))  # the cost factor of the hash checked
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    assert httpx.get(f"{ops_url}/ops", auth=("ana", "errada")).status_code == 401
    assert httpx.get(f"{ops_url}/ops", auth=("ninguem", "errada")).status_code == 401
    assert len(costs) == 2 and costs[0] == costs[1], "the same bcrypt work either way"

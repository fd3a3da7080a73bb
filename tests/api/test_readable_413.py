"""A client that writes its whole over-limit body before reading (urllib, requests) still reads
the 413: the server drains a bounded amount of the body before it answers and closes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.api.conftest import Api
from tests.support.samples import ENDPOINTS

pytestmark = pytest.mark.broker

UPLOADS = 40


def _upload(url: str, body: bytes) -> tuple[int, dict]:
    req = urllib.request.Request(  # noqa: S310 - loopback test server
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer chave-a"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback test server
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("size", [512 * 1024, 3 * 1024 * 1024], ids=["512KiB", "3MiB"])
def test_every_over_limit_upload_written_before_reading_gets_a_readable_413(api: Api, size: int) -> None:
    ep = ENDPOINTS[0]
    body = json.dumps({**ep.payload(), "queixa": "x" * size}).encode()
    answers = [_upload(api.url + ep.path, body) for _ in range(UPLOADS)]
    assert [status for status, _ in answers] == [413] * UPLOADS
    assert all("larger than" in detail["detail"] for _, detail in answers)

"""GET /metrics counts every request by route template, method and status, task POSTs included."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import Api
from tests.support.samples import BY_PATH

pytestmark = pytest.mark.broker


def _samples(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = api.client.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_accepted_task_posts_and_errors_are_counted_per_route_template(api: Api) -> None:
    consulta = BY_PATH["/api/clinico/consulta/"]
    accepted = {"route": "/api/clinico/consulta/", "method": "POST", "status": "202"}
    rejected = {**accepted, "status": "422"}
    status_route = {"route": "/api/clinico/status/{task_id}", "method": "GET", "status": "200"}
    before = _samples(api)

    task_ids = [api.client.post(consulta.path, json=consulta.payload()).json()["task_id"] for _ in range(3)]
    assert api.client.post(consulta.path, json={"queixa": "sem paciente"}).status_code == 422
    assert api.client.get(f"/api/clinico/status/{task_ids[0]}").status_code == 200
    after = _samples(api)

    def moved(name: str, labels: dict[str, str]) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("gateway_http_requests_total", accepted) == 3
    assert moved("gateway_http_request_seconds_count", accepted) == 3
    assert moved("gateway_http_requests_total", rejected) == 1
    assert moved("gateway_http_requests_total", status_route) == 1
    # The accepted POSTs took the fast lane, which sits behind the metrics middleware.
    assert moved("gateway_fast_lane_total", {}) == 3
    # Raw paths never become labels: the task id is not in any series.
    assert not any(task_ids[0] in str(key) for key in after)

"""/docs and /ops in a real browser (Debian's chromium, Playwright) against the real stack:
API, `python -m workers`, RabbitMQ, the fake NestJS backend. Screenshots land in artefacts/browser/."""

from __future__ import annotations

import json
import uuid

import httpx
import pika
import pytest

from shared import topology
from shared.config import Settings, vhost_url
from tests.ops.conftest import Stack, block_outside, open_page
from tests.support.samples import BY_PATH
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def _page(browser, stack: Stack, key: str = "chave-a"):  # type: ignore[no-untyped-def]
    return open_page(browser, stack, key=key)


def _broker_depths(settings: Settings, vhost: str) -> dict[str, int]:
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost)))
    try:
        ch = conn.channel()
        return {
            name: ch.queue_declare(name, passive=True).method.message_count
            for name in (topology.EVENTS_QUEUE, topology.DLQ_QUEUE, topology.ALERTS_QUEUE)
        }
    finally:
        conn.close()


def test_docs_render_every_operation_with_outside_network_blocked(browser, stack: Stack, screenshot) -> None:
    context = browser.new_context()
    blocked = block_outside(context, stack.url)
    page = context.new_page()
    page.goto(f"{stack.url}/docs")
    operations = sum(len(ops) for ops in stack.client.get("/openapi.json").json()["paths"].values())
    page.wait_for_function(f"document.querySelectorAll('.opblock').length >= {operations}", timeout=20_000)
    screenshot(page, "docs")
    assert page.locator(".opblock").count() == operations
    assert blocked == []
    context.close()


def test_docs_authorize_then_execute_a_task_post_shows_202(browser, stack: Stack, screenshot) -> None:
    schemes = stack.client.get("/openapi.json").json().get("components", {}).get("securitySchemes")
    assert schemes, "the OpenAPI document declares the API key schemes that Swagger UI's Authorize uses"
    context = browser.new_context()
    block_outside(context, stack.url)
    page = context.new_page()
    page.goto(f"{stack.url}/docs")
    page.locator(".opblock").first.wait_for()
    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".modal-ux")
    # One form per scheme (bearerAuth, apiKeyHeader); either sends the key.
    form = dialog.locator("form").filter(has_text="apiKeyHeader")
    form.locator("input").fill("chave-a")
    form.locator("button.authorize").click()
    dialog.locator("button.btn-done").first.click()
    op = page.locator(".opblock-post").filter(has=page.locator('[data-path="/api/clinico/consulta/"]'))
    op.locator(".opblock-summary").first.click()
    op.get_by_role("button", name="Try it out").click()
    op.locator("textarea.body-param__text").fill(json.dumps(BY_PATH["/api/clinico/consulta/"].payload()))
    op.get_by_role("button", name="Execute").click()
    status = op.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for(timeout=15_000)
    screenshot(page, "docs-execute")
    assert status.inner_text().strip().startswith("202")
    context.close()


def test_the_queue_page_shows_depths_that_match_the_broker(browser, stack: Stack, screenshot) -> None:
    page = open_page(browser, stack, user="operador")
    page.goto(f"{stack.url}/ops")
    page.get_by_role("link", name="All queues").click()
    page.wait_for_url("**/ops/queues")
    screenshot(page, "queues")
    for domain in topology.all_domains():
        vhost = topology.vhost_for(domain, stack.settings.vhost_prefix)
        expected = _broker_depths(stack.settings, vhost)
        for queue, count in expected.items():
            cell = page.locator(f'tr[data-vhost="{vhost}"][data-queue="{queue}"] td[data-col="messages"]')
            assert int(cell.inner_text()) == count, (vhost, queue)
    retry_rows = page.locator('tr[data-queue^="eventos.retry."]')
    assert retry_rows.count() >= 4


def test_a_dead_lettered_task_replayed_with_the_button_completes(browser, stack: Stack, screenshot) -> None:
    marker = stack.tmp / f"cause-gone-{uuid.uuid4().hex}"
    resp = stack.client.post(
        "/api/clinico/consulta/", json={"paciente_id": str(uuid.uuid4()), "queixa": f"until-file:{marker}"}
    )
    task_id = resp.json()["task_id"]
    status_url = resp.json()["status_url"]
    wait_until(lambda: stack.client.get(status_url).json()["status"] == "dead_lettered", timeout=30)
    marker.write_text("the cause went away")

    page = _page(browser, stack)
    page.goto(f"{stack.url}/ops/dead-letters")
    row = page.locator(f'#dead-lettered tr[data-task="{task_id}"]')
    assert row.locator('[data-col="reason"]').inner_text() == "max_retries_exceeded"
    screenshot(page, "before-replay")
    row.get_by_role("button", name="Replay").click()
    page.wait_for_url(f"**/ops/tasks/{task_id}?**")
    assert "replayed" in page.locator(".notice").inner_text()

    def completed() -> bool:
        page.reload()
        return page.locator("#status").inner_text().strip() == "completed"

    wait_until(completed, timeout=30, interval=0.5, message="the replayed task completed")
    screenshot(page, "after-replay")
    assert stack.client.get(status_url).json()["status"] == "completed"


def test_a_parked_alert_turns_alert_delivery_amber_and_the_retry_button_delivers_it(
    browser, stack: Stack, screenshot
) -> None:
    stack.nestjs.mode = "503"
    hemograma = BY_PATH["/api/exames/hemograma/"].payload()
    hemograma["resultados"] = {"hemoglobina_g_dl": 5.1}
    resp = stack.client.post("/api/exames/hemograma/", json=hemograma)
    task_id, status_url = resp.json()["task_id"], resp.json()["status_url"]
    wait_until(lambda: stack.client.get(status_url).json()["status"] == "completed", timeout=30)
    page = _page(browser, stack)
    page.goto(f"{stack.url}/ops/tasks/{task_id}")
    wait_until(
        lambda: page.reload() or "(parked)" in page.locator("#alerts").inner_text(),
        timeout=30,
        interval=0.5,
        message="the alert parked",
    )
    screenshot(page, "parked")
    home = _page(browser, stack)
    home.goto(f"{stack.url}/ops")
    screenshot(home, "home-alert-delivery-amber")
    state = home.locator("#alert-state")
    assert state.inner_text().startswith("Needs attention") and "amber" in state.get_attribute("class")
    assert "parked" in home.locator("#alert-reasons").inner_text()
    stack.nestjs.mode = "ok"
    page.get_by_role("button", name="Retry").first.click()
    page.wait_for_url(f"**/ops/tasks/{task_id}?**")
    wait_until(
        lambda: stack.client.get(status_url).json()["alerts"][0]["delivery"] == "delivered",
        timeout=30,
        message="the retried alert delivered",
    )
    page.reload()
    screenshot(page, "delivered")
    assert "delivered" in page.locator("#alerts").inner_text()
    assert len(stack.nestjs.alerts) == 1


def test_another_tenants_task_is_not_shown(browser, stack: Stack, screenshot) -> None:
    other = httpx.post(
        f"{stack.url}/api/clinico/consulta/",
        json={"paciente_id": str(uuid.uuid4()), "queixa": "ok"},
        headers={"X-API-Key": "chave-b"},
    ).json()["task_id"]
    mine = stack.client.post(
        "/api/clinico/consulta/", json={"paciente_id": str(uuid.uuid4()), "queixa": "ok"}
    ).json()["task_id"]
    page = _page(browser, stack, key="chave-a")
    page.goto(f"{stack.url}/ops/tasks")
    screenshot(page, "tenant-a")
    assert page.locator(f'tr[data-task="{mine}"]').count() == 1
    assert page.locator(f'tr[data-task="{other}"]').count() == 0
    assert other not in page.content()
    response = page.goto(f"{stack.url}/ops/tasks/{other}")
    assert response is not None and response.status == 404

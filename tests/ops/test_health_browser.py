"""The console home page and dead letters in a real browser (Debian's chromium, Playwright) against
the real stack: API, `python -m workers`, RabbitMQ, the fake NestJS backend. Screenshots land in
artefacts/browser/."""

from __future__ import annotations

import re
import uuid

import httpx
import pika
import pytest

from shared import topology
from shared.config import vhost_url
from tests.ops.conftest import Stack, open_page
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def _consulta(stack: Stack, queixa: str, key: str = "chave-a") -> dict:
    resp = httpx.post(
        f"{stack.url}/api/clinico/consulta/",
        json={"paciente_id": str(uuid.uuid4()), "queixa": queixa},
        headers={"X-API-Key": key},
    )
    assert resp.status_code == 202
    return resp.json()  # type: ignore[no-any-return]


def _status(stack: Stack, task: dict, key: str = "chave-a") -> dict:
    url = task["status_url"] if task["status_url"].startswith("http") else f"{stack.url}{task['status_url']}"
    return httpx.get(url, headers={"X-API-Key": key}).json()  # type: ignore[no-any-return]


def _vhost(stack: Stack, domain: str) -> str:
    return topology.vhost_for(domain, stack.settings.vhost_prefix)


def test_the_home_page_shows_each_vhosts_state_in_words_and_the_charts(
    browser, stack: Stack, screenshot
) -> None:
    done = _consulta(stack, "ok")
    wait_until(lambda: _status(stack, done)["status"] == "completed", timeout=30, message="a completed task")
    page = open_page(browser, stack, user="operador", timezone_id="America/Sao_Paulo")
    page.goto(f"{stack.url}/ops")
    screenshot(page, "home")
    for domain in topology.all_domains():
        row = page.locator(f'#vhosts tr[data-vhost="{_vhost(stack, domain)}"]')
        state = row.get_attribute("data-state")
        assert state in ("green", "amber", "red")
        # The state is written in words, not carried by colour alone, with its reasons.
        assert re.search(r"(Healthy|Needs attention|Failing) \((green|amber|red)\)", row.inner_text())
        assert row.locator(".reasons li").count() >= 1
        assert int(row.locator('[data-col="consumers"]').inner_text().split("/")[0]) >= 1
    clinico = page.locator(f'#vhosts tr[data-vhost="{_vhost(stack, "clinico")}"]')
    assert re.fullmatch(r"\d+ s ago", clinico.locator('[data-col="last"]').inner_text().strip())
    assert clinico.locator('[data-col="p95"]').inner_text() != "—"
    for chart in ("#chart-tasks", "#chart-alert-latency"):
        assert page.locator(chart).is_visible()
        assert page.locator(chart).get_attribute("role") == "img"
    assert page.locator('#chart-tasks polyline[data-series="accepted"]').count() >= 1
    assert re.search(r"\d+ accepted", page.locator("#chart-tasks-box .chart-summary").inner_text())
    # Times in the operator's timezone, UTC on hover.
    as_of = page.locator("#as-of time")
    assert as_of.get_attribute("title").endswith("UTC") and "UTC" not in as_of.inner_text()
    assert re.search(r"GMT-3|BRT|-03", as_of.inner_text())
    last = clinico.locator('[data-col="last"] time')
    assert last.inner_text().endswith("ago")
    assert re.search(r"GMT-3|BRT|-03", last.get_attribute("title")) and "UTC" in last.get_attribute("title")
    # Keyboard: the pause button is reachable with Tab and toggles with Enter, in words.
    toggle = page.locator("#refresh-toggle")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "refresh-toggle":
            break
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("#refresh-status").inner_text() == "Auto-refresh paused."
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"


def test_a_stopped_worker_turns_its_vhost_red_within_30_seconds(browser, stack: Stack, screenshot) -> None:
    page = open_page(browser, stack, user="operador")
    row = page.locator(f'#vhosts tr[data-vhost="{_vhost(stack, "opme")}"]')

    def state() -> str | None:
        page.goto(f"{stack.url}/ops")
        return row.get_attribute("data-state")

    wait_until(lambda: state() != "red", timeout=30, interval=0.5, message="fluxo_opme consumed")
    stack.stop_opme_worker()
    try:
        wait_until(lambda: state() == "red", timeout=30, interval=1, message="fluxo_opme red")
        screenshot(page, "vhost-red")
        assert "Failing (red)" in row.inner_text()
        assert "no worker consumes eventos" in row.locator(".reasons").inner_text()
        assert page.locator("#overall").inner_text().startswith("Failing")
    finally:
        stack.start_opme_worker()
    wait_until(lambda: state() != "red", timeout=30, interval=1, message="fluxo_opme back")


def test_two_dead_letters_replayed_together_after_a_confirmation_complete(
    browser, stack: Stack, screenshot
) -> None:
    markers = [stack.tmp / f"bulk-{uuid.uuid4().hex}" for _ in range(2)]
    tasks = [_consulta(stack, f"until-file:{m}") for m in markers]
    for task in tasks:
        wait_until(lambda t=task: _status(stack, t)["status"] == "dead_lettered", timeout=30)
    for m in markers:
        m.write_text("the cause went away")

    page = open_page(browser, stack, user="ana")
    page.goto(f"{stack.url}/ops/dead-letters")
    page.select_option('select[name="reason"]', "max_retries_exceeded")
    page.get_by_role("button", name="Filter").click()
    for task in tasks:
        row = page.locator(f'#dead-lettered tr[data-task="{task["task_id"]}"]')
        assert row.locator('[data-col="reason"]').inner_text() == "max_retries_exceeded"
        assert row.locator('[data-col="attempts"]').inner_text() == "1"
        row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Replay selected…").click()
    screenshot(page, "confirm")
    assert page.locator("h2").inner_text().startswith("Replay 2 dead-lettered task(s)?")
    page.get_by_role("button", name="Replay 2 task(s)").click()
    page.wait_for_url("**/ops/dead-letters?**")
    assert "replayed 2 task(s)" in page.locator(".notice").inner_text()
    for task in tasks:
        wait_until(lambda t=task: _status(stack, t)["status"] == "completed", timeout=30, message="replayed")
        assert _status(stack, task)["attempts"] == 2, "ran once, then once more after the replay"
    page.goto(f"{stack.url}/ops/dead-letters")
    screenshot(page, "after")
    for task in tasks:
        assert page.locator(f'tr[data-task="{task["task_id"]}"]').count() == 0


def _publish_raw(stack: Stack, body: bytes) -> None:
    conn = pika.BlockingConnection(
        pika.URLParameters(vhost_url(stack.settings.rabbitmq_urls[0], _vhost(stack, "exames")))
    )
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        ch.basic_publish(
            topology.EVENTS_EXCHANGE, topology.EVENTS_ROUTING_KEY, body, pika.BasicProperties(delivery_mode=2)
        )
    finally:
        conn.close()


def test_a_non_json_dead_letter_can_be_inspected_masked_and_replayed(
    browser, stack: Stack, screenshot
) -> None:
    body = f"não é JSON {uuid.uuid4().hex} paciente CPF 123.456.789-09 tel (11) 98765-4321".encode()
    _publish_raw(stack, body)
    page = open_page(browser, stack, user="operador")
    rows = page.locator("#raw-dead-letters tr[data-fingerprint]")

    def listed() -> bool:
        page.goto(f"{stack.url}/ops/dead-letters")
        return rows.filter(has_text="not JSON").filter(has_text=body.decode()[:18]).count() == 1

    wait_until(listed, timeout=30, interval=0.5, message="the raw dead letter listed")
    row = rows.filter(has_text=body.decode()[:18])
    assert row.locator('[data-col="reason"]').inner_text() == "invalid_json"
    screenshot(page, "list")
    row.get_by_role("link", name="Inspect").click()
    screenshot(page, "inspect")
    assert page.locator("#reason").inner_text() == "invalid_json"
    shown = page.locator("#body").inner_text()
    assert "123.456.789-09" not in shown and "98765-4321" not in shown and "[cpf]" in shown
    first_at = page.locator("#headers").inner_text()
    page.get_by_role("button", name="Replay to eventos").click()
    page.wait_for_url("**/ops/dead-letters?**")
    assert "replayed 1 raw message(s)" in page.locator(".notice").inner_text()

    def judged_again() -> bool:
        # The worker reads it again and dead-letters it again, with a new dead-lettered-at.
        page.goto(f"{stack.url}/ops/dead-letters")
        row = rows.filter(has_text=body.decode()[:18])
        if row.count() != 1:
            return False
        row.get_by_role("link", name="Inspect").click()
        return page.locator("#headers").inner_text() != first_at

    wait_until(judged_again, timeout=30, interval=0.5, message="the replayed message judged again")
    screenshot(page, "after-replay")


def test_a_tenant_operator_sees_no_other_tenants_numbers(browser, stack: Stack, screenshot) -> None:
    ana = open_page(browser, stack, user="ana")
    clinico = _vhost(stack, "clinico")

    def ana_figures() -> tuple[str, str]:
        ana.goto(f"{stack.url}/ops")
        row = ana.locator(f'#vhosts tr[data-vhost="{clinico}"]')
        return row.locator('[data-col="dead"]').inner_text(), ana.locator(
            "#chart-tasks-box .chart-summary"
        ).inner_text()

    before = ana_figures()
    theirs = [_consulta(stack, "permanent", key="chave-b") for _ in range(2)]
    for task in theirs:
        wait_until(lambda t=task: _status(stack, t, "chave-b")["status"] == "dead_lettered", timeout=30)
    assert ana_figures() == before, "another tenant's tasks change none of ana's numbers"
    screenshot(ana, "home")
    # Broker depths hold every tenant's messages: not for a tenant's operator.
    assert ana.locator(f'#vhosts tr[data-vhost="{clinico}"] [data-col="llm"]').inner_text() == "—"
    ana.goto(f"{stack.url}/ops/queues")
    assert ana.locator("#depths").count() == 0 and ana.locator("#depths-hidden").is_visible()
    ana.goto(f"{stack.url}/ops/dead-letters")
    screenshot(ana, "dead-letters")
    for task in theirs:
        assert task["task_id"] not in ana.content()
    assert ana.locator("#raw-dead-letters, #no-raw").count() == 0
    # The global operator does see them.
    operador = open_page(browser, stack, user="operador")
    operador.goto(f"{stack.url}/ops/dead-letters")
    for task in theirs:
        assert operador.locator(f'tr[data-task="{task["task_id"]}"]').count() == 1

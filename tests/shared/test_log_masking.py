"""Masking covers exception text and tracebacks, which exist only after the other processors ran."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from shared.logs import configure_logging, get_logger
from tests.conftest import make_settings


def test_a_traceback_quoting_a_cpf_phone_and_email_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(make_settings(tmp_path, log_format="json"), "test")
    try:
        raise ValueError("could not store 529.982.247-25, (11) 98765-4321, maria@example.com")
    except ValueError:
        get_logger("test.masking").exception("store_failed")
        logging.getLogger("test.a_library").exception("Exception in ASGI application")  # a stdlib logger
    err = capsys.readouterr().err
    assert err.count("Traceback") == 2
    for secret in ("529.982.247-25", "98765-4321", "maria@example.com"):
        assert secret not in err

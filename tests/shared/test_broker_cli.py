"""`rabbitmqctl` as the provisioning client: a node the CLI cannot reach for a moment is waited for,
any other failure is reported at once with the CLI's own diagnostics (docs/testing.md, "Broker CLI")."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from shared.broker_admin import CtlAdmin, ProvisionError


def fake_ctl(tmp_path: Path, exit_codes: list[int]) -> Path:
    """A stand-in `rabbitmqctl` that answers with the given exit codes in turn, then 0 for good."""
    state = tmp_path / "calls"
    state.write_text("0")
    script = tmp_path / "rabbitmqctl"
    script.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{state}"); echo $((n + 1)) > "{state}"\n'
        f"set -- {' '.join(str(c) for c in exit_codes)} 0 0 0 0 0 0 0 0\n"
        'shift "$n"; code=$1\n'
        'if [ "$code" != 0 ]; then\n'
        '  echo "Error: unable to perform an operation on node (exit $code)" >&2\n'
        "fi\n"
        'echo "vhost_a"\n'
        'exit "$code"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def admin_with(script: Path, grace_s: float) -> CtlAdmin:
    admin = CtlAdmin(unreachable_grace_s=grace_s)
    admin.exe = str(script)
    return admin


def calls(tmp_path: Path) -> int:
    return int((tmp_path / "calls").read_text())


def test_a_node_unreachable_for_a_moment_is_waited_for(tmp_path: Path) -> None:
    admin = admin_with(fake_ctl(tmp_path, [69, 69]), grace_s=30)
    assert admin.list_vhosts() == ["vhost_a"]
    assert calls(tmp_path) == 3


def test_a_node_that_stays_unreachable_fails_with_the_cli_diagnostics(tmp_path: Path) -> None:
    admin = admin_with(fake_ctl(tmp_path, [69] * 8), grace_s=1)
    with pytest.raises(ProvisionError, match=r"failed \(69\): Error: unable to perform an operation"):
        admin.list_vhosts()
    assert 1 < calls(tmp_path) < 8


def test_any_other_failure_is_not_retried(tmp_path: Path) -> None:
    admin = admin_with(fake_ctl(tmp_path, [2]), grace_s=30)
    with pytest.raises(ProvisionError, match=r"failed \(2\)"):
        admin.list_vhosts()
    assert calls(tmp_path) == 1

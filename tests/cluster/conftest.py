"""The cluster failover test starts three RabbitMQ nodes and runs for minutes: it belongs to
`make test-cluster` (which sets TGW_CLUSTER_TEST=1), not to `make test`."""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("TGW_CLUSTER_TEST") == "1" else ["test_*.py"]

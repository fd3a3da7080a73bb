"""Print the pip configuration an offline-built base image should carry (docs/docker.md).

Reads the machine's own pip configuration (`pip config list`, PIP_* variables) and keeps what
still means something inside an image: index URLs and proxies that go over the network, trusted
hosts, time-outs and retries. Local paths (`file://` indexes, find-links, constraints files) are
dropped because they do not exist in the image. `cert` points at the image's own CA bundle, which
carries this machine's extra CA certificates.
"""

from __future__ import annotations

import os
import subprocess
import sys

KEEP = {"index-url", "extra-index-url", "trusted-host", "proxy", "timeout", "default-timeout", "retries"}
IMAGE_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def machine_settings() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False
    ).stdout
    settings: dict[str, str] = {}
    for line in out.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            settings[key.split(".", 1)[-1]] = value.strip().strip("'\"")
    for name, value in os.environ.items():
        if name.startswith("PIP_"):
            settings[name[4:].lower().replace("_", "-")] = value
    return settings


def image_settings(settings: dict[str, str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for key, value in settings.items():
        if key not in KEEP:
            continue
        if key.endswith("index-url") or key == "proxy":
            value = " ".join(v for v in value.split() if "://" in v and not v.startswith("file:"))
        if value:
            kept[key] = value
    kept["cert"] = IMAGE_CA_BUNDLE
    return kept


def main() -> int:
    lines = ["[global]"] + [f"{k} = {v}" for k, v in sorted(image_settings(machine_settings()).items())]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

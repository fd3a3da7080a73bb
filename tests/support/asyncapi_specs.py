"""The official AsyncAPI JSON Schema, from the npm package `@asyncapi/specs` (the one the AsyncAPI
parser and CLI validate with), fetched with `npm pack` at test set-up and kept under .run/."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

# Pinned: a new release of the package is a deliberate upgrade, not a surprise in CI.
SPECS_VERSION = "6.11.1"
ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".run" / "asyncapi-specs" / SPECS_VERSION


def official_schema(asyncapi_version: str = "3.0.0") -> tuple[dict[str, Any] | None, str]:
    """(schema, "") or (None, why it could not be had)."""
    target = CACHE / f"{asyncapi_version}.json"
    if not target.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed (apt-get install npm) to fetch @asyncapi/specs"
        CACHE.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run(
                [
                    npm,
                    "pack",
                    f"@asyncapi/specs@{SPECS_VERSION}",
                    "--silent",
                    "--pack-destination",
                    str(CACHE),
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, "npm pack @asyncapi/specs timed out (is the npm registry reachable?)"
        if done.returncode != 0:
            return (
                None,
                f"npm pack @asyncapi/specs failed (registry unreachable?): {done.stderr.strip()[-300:]}",
            )
        tarball = CACHE / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as tar:
            member = tar.getmember(f"package/schemas/{asyncapi_version}.json")
            extracted = tar.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())
        tarball.unlink()
    return json.loads(target.read_text()), ""

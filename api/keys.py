"""`python -m api.keys TENANT`: a new API key and the hashed `API_KEYS` entry that admits it.

The key is printed once, for the client; only the entry (`sha256:<hex>=TENANT`) goes into
`API_KEYS`, so the gateway's environment never holds a usable key. `--hash` reads an existing key
from standard input instead of generating one (moving a plain entry to its hash).
"""

from __future__ import annotations

import argparse
import secrets
import sys

from shared.config import hash_api_key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.keys", description=__doc__)
    parser.add_argument("tenant")
    parser.add_argument("--hash", action="store_true", help="hash a key read from standard input")
    args = parser.parse_args(argv)
    if "=" in args.tenant or "," in args.tenant:
        parser.error("a tenant id cannot contain '=' or ','")
    if args.hash:
        key = sys.stdin.readline().strip()
        if not key:
            parser.error("no key on standard input")
    else:
        key = secrets.token_urlsafe(32)
        print(f"key (give it to the client; it is not stored anywhere): {key}")
    print(f"API_KEYS entry: {hash_api_key(key)}={args.tenant}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

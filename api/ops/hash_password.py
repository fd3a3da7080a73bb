"""`python -m api.ops.hash_password USER [TENANT]`: prints an OPS_USERS entry (asks the password)."""

from __future__ import annotations

import getpass
import sys

import bcrypt


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python -m api.ops.hash_password USER [TENANT]", file=sys.stderr)
        return 2
    password = getpass.getpass("password: ")
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()
    print(":".join([argv[0], hashed, *argv[1:]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

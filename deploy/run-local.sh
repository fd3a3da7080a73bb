#!/usr/bin/env bash
# Runs the API and the worker supervisor in the foreground (used by `make run`).
# Ctrl-C reaches both (same process group); a TERM to this script is passed on.
set -u
PY="${1:-.venv/bin/python}"
"$PY" -m api &
api=$!
"$PY" -m workers &
workers=$!
stop() { kill -TERM "$api" "$workers" 2>/dev/null; }
trap stop INT TERM
# Whichever exits first, stop the other so a half-running system never looks healthy.
wait -n "$api" "$workers"
status=$?
stop
wait "$api" "$workers" 2>/dev/null
exit "$status"

"""Alembic environment and revisions of the task store (run them with `python -m shared.migrate`)."""

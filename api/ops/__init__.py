"""`/ops`: the operators' console (docs/operations.md), server-rendered with Jinja2 and no JavaScript."""

from api.ops.routes import router

__all__ = ["router"]

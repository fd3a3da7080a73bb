"""`/ops`: the operators' console (SPEC §10), server-rendered with Jinja2 and no JavaScript."""

from api.ops.routes import router

__all__ = ["router"]

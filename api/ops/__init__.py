"""`/ops`: the operators' console (docs/operations.md), server-rendered with Jinja2 and a little
JavaScript (local times, pausing the auto-refresh)."""

from api.ops.dead_letters import router as _dead_letters
from api.ops.routes import router

router.include_router(_dead_letters)

__all__ = ["router"]

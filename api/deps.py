"""FastAPI dependencies as `Annotated` aliases (as in full-stack-fastapi-template); the providers
live in `api/providers.py` and `api/submit.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.providers import get_publisher, get_store, get_tenant
from api.publisher import Publisher
from api.submit import Submitter, get_submitter
from shared.store import Store

StoreDep = Annotated[Store, Depends(get_store)]
PublisherDep = Annotated[Publisher, Depends(get_publisher)]
TenantDep = Annotated[str, Depends(get_tenant)]
SubmitDep = Annotated[Submitter, Depends(get_submitter)]

"""Is the store up? `GET /health`, and failing fast while it is down.

The store is asked on a worker thread and given HEALTH_SECONDS to answer, so
a store that hangs makes `/health` a 503 in time instead of a hung request.
Once a request has found the store unavailable, the next requests answer 503
with Retry-After at once (no thread waits on a dead database) while one
background ping at a time checks whether it is back; the first ping that
answers lets requests through again, so the service recovers by itself.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from service.api.deps import PlanforgeDep
from service.api.errors import RETRY_AFTER_SECONDS, StoreDown

HEALTH_SECONDS = 1.5

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    detail: str | None = None


class StoreProbe:
    """Pings the store one at a time; remembers whether it was found down."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="store-probe")
        self._lock = threading.Lock()
        self._pending: Future[None] | None = None
        self.down = False

    async def check(self, planforge: PlanforgeDep) -> str | None:
        """None when the store answers within HEALTH_SECONDS, else why not."""
        pending = asyncio.wrap_future(self._ping(planforge))
        try:
            await asyncio.wait_for(asyncio.shield(pending), HEALTH_SECONDS)
        except TimeoutError:
            return f"the store did not answer within {HEALTH_SECONDS} s"
        except Exception as error:  # any store failure means "not healthy"
            return f"the store is unavailable ({type(error).__name__})"
        return None

    def mark_down(self) -> None:
        self.down = True

    def gate(self, planforge: PlanforgeDep) -> None:
        """Raise StoreDown while the store is known to be down (and check
        again in the background)."""
        if self.down:
            self._ping(planforge)
            if self.down:
                raise StoreDown("the event store is unavailable")

    def _ping(self, planforge: PlanforgeDep) -> Future[None]:
        """The ping in flight, or a new one; its outcome sets `down`."""
        with self._lock:
            if self._pending is None or self._pending.done():
                self._pending = self._pool.submit(planforge.store.ping)
                self._pending.add_done_callback(self._record)
            return self._pending

    def _record(self, ping: Future[None]) -> None:
        self.down = ping.exception() is not None


async def store_gate(request: Request, planforge: PlanforgeDep) -> None:
    """App-wide: answer 503 at once while the store is known to be down."""
    if request.url.path != "/health":
        probe: StoreProbe = request.app.state.store_probe
        probe.gate(planforge)


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "the store is down"}},
)
async def health(planforge: PlanforgeDep, request: Request) -> JSONResponse:
    """200 when the service and its event store answer, else 503 (within 2 s).
    The event loop awaits the probe's ping: no request thread is held."""
    probe: StoreProbe = request.app.state.store_probe
    problem = await probe.check(planforge)
    if problem is not None:
        return JSONResponse(
            status_code=503,
            content={"status": "down", "detail": problem},
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JSONResponse(content={"status": "ok"})

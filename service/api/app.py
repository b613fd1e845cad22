"""The FastAPI adapter: `create_app(settings)` wires routers to the use cases."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.types import ASGIApp, Receive, Scope, Send

from domain.changes import EntityKind
from service.api import (
    access,
    audit,
    changes,
    gates,
    health,
    items,
    jobs,
    plans,
    portfolio,
    portfolio_plans,
    progress,
    projects,
    webhooks,
)
from service.api.contract import install_contract
from service.api.docs import install_docs
from service.api.errors import install_error_handlers
from service.api.rules import rule_for
from service.api.security import authorize
from service.jobs import Jobs
from service.settings import Settings
from service.usecases import Planforge
from service.web import routes as pages
from service.web import scenarios as scenario_pages
from service.web.assets import install_assets
from service.webhooks.delivery import Deliverer
from service.webhooks.subscriptions import Subscriptions
from service.workers import Runner, WorkerPool

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(
    settings: Settings | None = None, planforge: Planforge | None = None
) -> FastAPI:
    """A ready app; pass `planforge` to share an already open store (tests).
    Long work runs in the worker pool of `planforge.runner` (see
    service.workers), which the app stops when it shuts down."""
    settings = settings or Settings()
    if planforge is None:
        planforge = Planforge(settings, runner=worker_pool(settings))
    capacity = settings.workers + settings.queue_limit
    job_runner = job_cluster(settings)
    job_service = Jobs(
        planforge,
        capacity,
        settings.retry_after,
        job_runner,
        per_principal=settings.jobs_per_principal,
        lease_seconds=settings.job_lease_seconds,
    )
    subscriptions = Subscriptions(
        planforge.store.documents, settings.webhook_allow_private
    )
    deliverer = Deliverer(
        planforge.store,
        subscriptions,
        settings.webhook_retry_schedule,
        settings.webhook_timeout,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        deliverer.start()
        yield
        deliverer.stop()
        job_service.close()
        for runner in (planforge.runner, job_runner):
            close = getattr(runner, "close", None)
            if close is not None:
                close()

    app = FastAPI(
        title="planforge",
        version="0.1.0",
        description="Event-sourced schedules (CP-SAT) and Monte Carlo forecasts. "
        "Send `Authorization: Bearer <token>` (see `planforge token create`).",
        dependencies=[Depends(health.store_gate), Depends(authorize)],
        max_body_size=settings.max_body_bytes,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    app.state.planforge = planforge
    app.state.store_probe = health.StoreProbe()
    app.state.jobs = job_service
    app.state.subscriptions = subscriptions
    app.state.deliverer = deliverer
    install_error_handlers(app)
    install_contract(
        app,
        {"time_limit": settings.max_time_limit, "samples": settings.max_samples},
    )
    app.include_router(health.router)
    app.include_router(access.router)
    app.include_router(projects.router)
    app.include_router(progress.router)
    app.include_router(gates.router)
    for kind in EntityKind:
        app.include_router(items.items_router(kind))
    app.include_router(plans.router)
    app.include_router(changes.router)
    app.include_router(audit.router)
    app.include_router(portfolio.router)
    app.include_router(portfolio_plans.router)
    app.include_router(jobs.router)
    app.include_router(webhooks.router)
    app.include_router(items.absences_router)
    app.include_router(pages.router)
    app.include_router(scenario_pages.router)
    install_assets(app)
    app.add_middleware(WakeOnWrite, wake=deliverer.wake)

    unruled = [f"{m} {p}" for m, p in route_table(app) if rule_for(m, p) is None]
    if unruled:
        raise RuntimeError(f"routes without an access rule: {', '.join(unruled)}")
    return app


def served_app() -> FastAPI:
    """The app `planforge serve` runs (a uvicorn factory, built in each
    worker). What starting made (libraries, schemas, routes: ~200,000
    objects) lives as long as the process, so it is moved out of the garbage
    collector's sight: a full collection then scans only what requests made,
    instead of pausing every request for 100-350 ms (the tail of the
    throughput benchmark)."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def worker_pool(settings: Settings) -> WorkerPool:
    """The bounded pool of worker processes the settings describe."""
    return WorkerPool(
        settings.workers,
        settings.queue_limit,
        settings.retry_after,
        settings.worker_priority,
    )


class WakeOnWrite:
    """After a write request is answered, the webhook deliverer looks at the
    log at once (its event is committed by then) instead of at its next poll."""

    def __init__(self, app: ASGIApp, wake: Callable[[], None]) -> None:
        self.app = app
        self.wake = wake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http" and scope["method"] in WRITES:
            self.wake()


def job_cluster(settings: Settings) -> Runner | None:
    """The Dask cluster jobs run on, when the settings name one."""
    if settings.dask_scheduler is None:
        return None
    from service.dask_runner import DaskRunner

    return DaskRunner(settings.dask_scheduler)


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API route, as the access rules name them."""
    table = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in sorted(context.methods or ()):
                table.append((method, str(context.path_format)))
    return table

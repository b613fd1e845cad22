"""Webhook subscriptions: make (the secret is shown once), list, read,
delete, send a test event, read every delivery attempt, re-send one."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from service.api.contract import answer, errors
from service.api.security import PrincipalDep
from service.webhooks.delivery import Deliverer
from service.webhooks.events import EVENT_TYPES
from service.webhooks.subscriptions import Subscriptions, public

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookBody(BaseModel):
    url: str = Field(
        description="where events are POSTed (http or https)",
        json_schema_extra={"pattern": r"^https?://[^\s/?#@:]+"},
    )
    events: list[str] = Field(
        description=f"event types, of: {', '.join(EVENT_TYPES)}",
        json_schema_extra={"items": {"enum": list(EVENT_TYPES)}, "minItems": 1},
        examples=[["plan.committed", "milestone.reached"]],
    )
    project_id: UUID | None = Field(default=None, description="only this project")
    description: str | None = Field(default=None, max_length=1000)


class Webhook(BaseModel):
    id: str
    url: str
    events: list[str]
    project_id: str | None
    description: str | None
    enabled: bool
    disabled_reason: str | None
    created_at: str
    created_by: str


class NewWebhook(Webhook):
    secret: str = Field(description="whsec_...: shown this once; verify with it")


class Attempt(BaseModel):
    at: str
    status_code: int | None
    error: str | None
    seconds: float


class Delivery(BaseModel):
    id: str
    subscription_id: str
    event: dict[str, Any]
    status: str = Field(description="pending, delivered or failed")
    attempts: list[Attempt]
    next_attempt_at: float | None = Field(description="Unix time of the next try")


def get_subscriptions(request: Request) -> Subscriptions:
    subscriptions: Subscriptions = request.app.state.subscriptions
    return subscriptions


def get_deliverer(request: Request) -> Deliverer:
    deliverer: Deliverer = request.app.state.deliverer
    return deliverer


SubscriptionsDep = Annotated[Subscriptions, Depends(get_subscriptions)]
DelivererDep = Annotated[Deliverer, Depends(get_deliverer)]


@router.post("", status_code=201, responses=answer(NewWebhook, 201, location=True))
def create_webhook(
    body: WebhookBody,
    subscriptions: SubscriptionsDep,
    principal: PrincipalDep,
    response: Response,
) -> NewWebhook:
    """Subscribe `url` to `events`; the answer carries the signing secret."""
    made = subscriptions.create(
        body.url, body.events, body.project_id, body.description, principal.name
    )
    response.headers["Location"] = f"/webhooks/{made['id']}"
    return NewWebhook(**made)


@router.get("", responses=errors(401, 403))
def list_webhooks(subscriptions: SubscriptionsDep) -> list[Webhook]:
    return [Webhook(**public(s)) for s in subscriptions.all()]


@router.get("/{webhook_id}", responses=errors(401, 403, 404))
def get_webhook(webhook_id: UUID, subscriptions: SubscriptionsDep) -> Webhook:
    return Webhook(**public(subscriptions.get(webhook_id)))


@router.delete("/{webhook_id}", status_code=204, responses=errors(401, 403, 404))
def delete_webhook(webhook_id: UUID, subscriptions: SubscriptionsDep) -> None:
    subscriptions.delete(webhook_id)


@router.post("/{webhook_id}/test", status_code=202, responses=errors(401, 403, 404))
def test_webhook(
    webhook_id: UUID, subscriptions: SubscriptionsDep, deliverer: DelivererDep
) -> Delivery:
    """Queue a `webhook.test` event for this subscription at once."""
    return Delivery(**deliverer.enqueue_test(subscriptions.get(webhook_id)))


@router.get("/{webhook_id}/deliveries", responses=errors(401, 403, 404))
def list_deliveries(
    webhook_id: UUID, subscriptions: SubscriptionsDep, deliverer: DelivererDep
) -> list[Delivery]:
    """Every delivery with each attempt: time, response code or error."""
    subscriptions.get(webhook_id)
    return [Delivery(**d) for d in deliverer.deliveries(webhook_id)]


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/resend",
    status_code=202,
    responses=errors(401, 403, 404),
)
def resend_delivery(
    webhook_id: UUID, delivery_id: str, deliverer: DelivererDep
) -> Delivery:
    """Send a delivery again (delivered or failed), keeping its history."""
    return Delivery(**deliverer.resend(webhook_id, delivery_id))

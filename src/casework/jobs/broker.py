"""Dramatiq on RabbitMQ: the broker, the one actor, and the relay's publisher.

Why Dramatiq with RabbitMQ: a message is acknowledged only after the actor
returns (acks-late by design), so a worker killed mid-task leaves its message
unacknowledged and RabbitMQ hands it to another consumer when the connection
drops — no visibility timeout to tune, as Redis-based queues need; publishing
waits for RabbitMQ's confirm (`confirm_delivery`), so the relay marks a job sent
only once the broker has it; the worker pulls at most `prefetch` messages
(basic.qos); `Retries` re-enqueues a failed message with exponential backoff
through a delay queue, and every queue gets RabbitMQ's dead-letter queue
(`<queue>.XQ`) for messages it gives up on. Our own dead-letter list lives in the
database (`dead_letters`), written on the last attempt, so the error is visible
and `casework jobs retry` can queue the tickets again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.jobs.outbox import job_message
from casework.jobs.settings import JobSettings

__all__ = ["BrokerError", "Publisher", "declare_actor", "job_message", "make_broker"]

ACTOR = "casework_job"

try:
    import dramatiq
    from dramatiq.brokers.rabbitmq import RabbitmqBroker
    from dramatiq.middleware import CurrentMessage, Retries, ShutdownNotifications, TimeLimit
except ImportError as exc:  # pragma: no cover - the workers extra is missing
    raise ImportError(
        "CASEWORK_BROKER_URL needs the workers extra: pip install 'casework[workers]'"
    ) from exc


class BrokerError(RuntimeError):
    """The broker cannot be used, with what to do about it."""


def make_broker(settings: JobSettings) -> RabbitmqBroker:
    url = settings.broker_url
    if not url:
        raise BrokerError("CASEWORK_BROKER_URL is not set")
    if not url.startswith(("amqp://", "amqps://")):
        raise BrokerError(
            f"CASEWORK_BROKER_URL must be a RabbitMQ URL (amqp://user:password@host:5672/), "
            f"got {url.split('://')[0]}://…"
        )
    middleware = [
        TimeLimit(time_limit=30 * 60 * 1000),
        ShutdownNotifications(),
        Retries(
            max_retries=settings.max_retries,
            min_backoff=settings.min_backoff_ms,
            max_backoff=settings.max_backoff_ms,
        ),
        CurrentMessage(),
    ]
    return RabbitmqBroker(url=url, confirm_delivery=True, middleware=middleware)


def declare_actor(
    broker: RabbitmqBroker,
    settings: JobSettings,
    handle: Callable[[dict[str, Any], bool], Any] | None = None,
) -> dramatiq.Actor[Any, Any]:
    """The single actor, on the configured queue. `handle(job, last_attempt)` does the
    work in a worker; a publisher passes none (it only sends)."""
    max_retries = settings.max_retries

    def casework_job(job: dict[str, Any]) -> Any:
        if handle is None:
            raise RuntimeError("this process only publishes jobs")
        message = CurrentMessage.get_current_message()
        retries = int(message.options.get("retries", 0)) if message is not None else 0
        return handle(job, retries >= max_retries)

    return dramatiq.Actor(
        casework_job,
        broker=broker,
        actor_name=ACTOR,
        queue_name=settings.queue,
        priority=0,
        options={"max_retries": max_retries},
    )


class Publisher:
    """The relay's side: sends outbox jobs, each confirmed by RabbitMQ before it counts."""

    def __init__(self, settings: JobSettings) -> None:
        self.broker = make_broker(settings)
        self.actor = declare_actor(self.broker, settings)

    def __call__(self, message: dict[str, Any]) -> None:
        self.actor.send(message)

    def close(self) -> None:
        self.broker.close()

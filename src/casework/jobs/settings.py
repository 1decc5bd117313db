"""Worker settings, read from `CASEWORK_*` environment variables.

Unset `CASEWORK_BROKER_URL` means the embedded default: everything runs in the
process that asked for it. Set, intake and `casework process` only write jobs to
the outbox, and `casework worker` processes (and publishes) them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    broker_url: str | None = None
    """amqp://user:password@host:5672/vhost (RabbitMQ). Unset: no workers, all in-process."""
    queue: str = Field(default="casework", min_length=1, max_length=64)
    """Queue name prefix: two deployments (or two test runs) on one broker stay apart."""
    job_batch_size: int = Field(default=200, ge=1, le=5000)
    """Tickets per task: big enough to amortise a transaction, small enough to retry."""
    prefetch: int = Field(default=2, ge=1, le=1000)
    """Unacknowledged tasks a worker holds at once (RabbitMQ basic.qos)."""
    max_retries: int = Field(default=3, ge=0, le=50)
    min_backoff_ms: int = Field(default=2000, ge=10)
    max_backoff_ms: int = Field(default=300_000, ge=10)
    relay_interval: float = Field(default=0.5, gt=0)
    """Seconds between outbox scans when the outbox is empty or the broker is down."""


def job_settings() -> JobSettings:
    return JobSettings()


def broker_configured() -> bool:
    return bool(job_settings().broker_url)

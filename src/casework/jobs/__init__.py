"""Scale-out: ticket processing and batch jobs on a task queue (Dramatiq on RabbitMQ).

Off by default: with no `CASEWORK_BROKER_URL`, everything runs in-process as
before. Set, intake writes a job to the outbox (`outbox`) in the transaction that
stores the ticket, the relay publishes it (`broker`), and `casework worker`
processes it (`runner`) with the same stage functions as the in-process pipeline,
recording each stage once in the ledger (`ledger`). Failures are retried with
backoff, then parked in `dead_letters` (`status`). Needs `casework[workers]`.
"""

from casework.jobs.settings import JobSettings, broker_configured, job_settings

__all__ = ["JobSettings", "broker_configured", "job_settings"]

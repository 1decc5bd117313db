"""`casework worker`: one worker process — consumer, relay and metrics.

The process loads its models once (`Models`), consumes the queue with at most
`prefetch` unacknowledged messages, and (unless told not to) runs the outbox
relay in a thread, so a deployment of N workers needs no other moving part.
SIGTERM and SIGINT stop it cleanly: the message in hand is finished and acked,
the prefetched ones go back to the queue.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from casework.jobs.outbox import relay_once
from casework.jobs.settings import JobSettings
from casework.workspace import Workspace

log = logging.getLogger(__name__)


def quiet_broker_client_logs() -> None:
    """Keep pika's own log to CRITICAL.

    Why: pika logs every failed connection attempt with a full traceback at ERROR, so
    a broker outage printed one traceback per relay retry; the relay and the consumer
    already say in one line that the broker is unreachable and that they retry.
    """
    logging.getLogger("pika").setLevel(logging.CRITICAL)


def relay_loop(
    ws: Workspace,
    settings: JobSettings,
    stop: threading.Event,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Publish pending jobs until `stop`; a broker outage is retried, never fatal."""
    from casework.jobs.broker import Publisher

    publisher: Publisher | None = None
    while not stop.is_set():
        try:
            if publisher is None:
                publisher = Publisher(settings)
            sent = relay_once(ws, publisher, batch_size=settings.job_batch_size)
        except Exception as exc:  # broker or database down: wait and try again
            if on_error is not None:
                on_error(exc)
            log.warning("relay: %s; retrying in %.1fs", exc, settings.relay_interval)
            if publisher is not None:
                try:
                    publisher.close()
                except Exception:
                    log.debug("relay: closing the broken publisher failed", exc_info=True)
                publisher = None
            stop.wait(settings.relay_interval)
            continue
        if not sent:
            stop.wait(settings.relay_interval)
    if publisher is not None:
        publisher.close()


def _one_blas_thread_per_task(threads: int) -> None:
    """Cap numpy's BLAS pool at the worker's task threads.

    Why: OpenBLAS starts one thread per core in every process and spins them while they
    wait; N worker processes already fill the cores, so each product over a batch's
    small matrices only woke threads that fought the other workers for the same cores.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=max(threads, 1), user_api="blas")


def run_worker(
    ws: Workspace,
    settings: JobSettings,
    *,
    relay: bool = True,
    threads: int = 1,
    metrics_port: int | None = None,
    ready: Callable[[], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Consume (and relay) until SIGTERM/SIGINT or `stop`."""
    import dramatiq

    from casework.jobs.broker import declare_actor, make_broker
    from casework.jobs.runner import Models, execute

    stop = stop or threading.Event()
    _one_blas_thread_per_task(threads)
    models = Models(ws)
    models.get()  # load once, before the first message, so the first task is not slow

    def handle(job: dict[str, Any], last_attempt: bool) -> Any:
        return execute(ws, models, job, last_attempt)

    broker = make_broker(settings)
    declare_actor(broker, settings, handle)
    worker = dramatiq.Worker(broker, worker_threads=threads)
    worker.queue_prefetch = settings.prefetch
    worker.delay_prefetch = max(settings.prefetch, 10)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    relay_thread = None
    if relay:
        relay_thread = threading.Thread(
            target=relay_loop, args=(ws, settings, stop), name="casework-relay", daemon=True
        )
        relay_thread.start()
    if ready is not None:
        ready()
    try:
        while not stop.is_set():
            time.sleep(0.2)
    finally:
        worker.stop()
        broker.close()
        if relay_thread is not None:
            relay_thread.join(10)

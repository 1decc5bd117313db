"""Write-back out: what people decided, sent back to the helpdesk the ticket came from.

`outbox` queues changes in the `writebacks` table in the same transaction as the
review that caused them; `casework writeback run` sends the due ones through a
`HelpdeskClient` (`client.ZendeskClient`), so a helpdesk that is down delays a
write-back but never loses it.
"""

from casework.writeback.client import (
    Changes,
    HelpdeskClient,
    WritebackError,
    ZendeskClient,
    zendesk_from_env,
)
from casework.writeback.outbox import (
    RunReport,
    enqueue_automatic,
    enqueue_decision,
    enqueue_draft,
    run_due,
    status,
)

__all__ = [
    "Changes",
    "HelpdeskClient",
    "RunReport",
    "WritebackError",
    "ZendeskClient",
    "enqueue_automatic",
    "enqueue_decision",
    "enqueue_draft",
    "run_due",
    "status",
    "zendesk_from_env",
]

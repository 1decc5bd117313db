"""Live helpdesk syncs: pull what changed since last time, remember where it stopped.

    from casework.sync import ZendeskSync, ZendeskClient
    client = ZendeskClient("acme", "ops@acme.example", token)
    result = ZendeskSync(workspace, client).run()

A sync writes through the same repository functions, with the same
`(source, external_id)` keys, as the file importers, so syncing tickets that
were imported from a file updates them instead of adding copies. Its resume
positions live in the `sync_state` table (`casework.sync.state`).
"""

from __future__ import annotations

from casework.sync.client import SyncError, ZendeskClient
from casework.sync.zendesk import SyncResult, ZendeskSync

__all__ = ["SyncError", "SyncResult", "ZendeskClient", "ZendeskSync"]

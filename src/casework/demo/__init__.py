"""A seeded generator of a realistic e-commerce helpdesk, for demos and evaluations.

`generate_demo(workspace)` writes twelve weeks of Nordhaven's customer service
(tickets, conversations, customers, orders, agents, queues, help-centre
articles) into a workspace, plus a truth manifest of what was planted: each
ticket's labels and the exact spans of personal data in its messages, the
week-9 carrier spike, a recurring invoice issue, a knowledge gap and stale
articles. The manifest is two files in the workspace folder: `demo-truth.json`
(a small header: seed, period, counts, planted patterns) and
`demo-truth.jsonl` (one line per ticket); `casework.demo.manifest` documents
every field.
"""

from casework.demo.generator import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]

"""The privacy tests' fixture: a small processed helpdesk on each store backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from privacy_support import build_helpdesk

from casework import Workspace


@pytest.fixture
def helpdesk(workspace: Workspace) -> Callable[[int], Workspace]:
    def make(tickets: int = 120) -> Workspace:
        build_helpdesk(workspace, tickets)
        return workspace

    return make

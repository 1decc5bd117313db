"""Prompts as versioned files beside this module: `<name>.v<N>.txt`.

A prompt is changed by adding `<name>.v<N+1>.txt`, never by editing a released
one, so a stored draft's prompt version always names the exact words sent.
Lines at the top starting with `#` describe the prompt and are not sent.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import NamedTuple

_FILE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.txt$")


class Prompt(NamedTuple):
    version: str
    """`draft_reply.v1`: what a result records as the prompt that produced it."""
    text: str


def _versions(name: str) -> dict[int, str]:
    found = {}
    for entry in resources.files(__name__).iterdir():
        match = _FILE.match(entry.name)
        if match and match["name"] == name:
            found[int(match["version"])] = entry.name
    return found


def load_prompt(name: str) -> Prompt:
    """`draft_reply` → its newest version; `draft_reply.v1` → exactly that one."""
    base, _, pinned = name.partition(".v")
    versions = _versions(base)
    if not versions:
        raise FileNotFoundError(f"no prompt named {base!r} in casework/llm/prompts")
    number = int(pinned) if pinned.isdigit() else max(versions)
    if number not in versions:
        raise FileNotFoundError(f"prompt {base!r} has no version {number}; has {sorted(versions)}")
    raw = resources.files(__name__).joinpath(versions[number]).read_text("utf-8")
    lines = raw.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return Prompt(f"{base}.v{number}", "\n".join(lines).strip() + "\n")

"""Configuration: process settings from the environment, and the workspace file.

`Settings` (`CASEWORK_*` variables) says where things are; the workspace file
(`casework.yaml`) says how the team works: queues, rules, escalation, automation
levels, service language. The file is validated whole before it is accepted.
"""

from casework.config.settings import DEFAULT_WORKSPACE, Settings, load_settings

__all__ = ["DEFAULT_WORKSPACE", "Settings", "load_settings"]

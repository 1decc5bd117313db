"""Configuration: process settings from the environment, and the workspace file.

`Settings` (`CASEWORK_*` variables) says where things are; the workspace file
(`casework.yaml`: see `loader`, `versions` and docs/config.md) says how the team
works: queues, rules, escalation, automation levels, service language. The file
is validated whole before it is accepted.
"""

from casework.config.loader import (
    ConfigError,
    ConfigProblem,
    default_config,
    load_config_file,
    load_config_text,
)
from casework.config.schema import WorkspaceConfig
from casework.config.settings import DEFAULT_WORKSPACE, Settings, load_settings

__all__ = [
    "DEFAULT_WORKSPACE",
    "ConfigError",
    "ConfigProblem",
    "Settings",
    "WorkspaceConfig",
    "default_config",
    "load_config_file",
    "load_config_text",
    "load_settings",
]

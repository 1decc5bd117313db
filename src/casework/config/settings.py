"""Process settings, read from `CASEWORK_*` environment variables.

The workspace file (`casework.yaml`: queues, rules, policies…) is added by the
routing issue; this module holds only what a process needs to start.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_WORKSPACE = Path("casework-data")


class Settings(BaseSettings):
    """One settings class for every entry point (CLI, API, workers)."""

    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    workspace: Path = DEFAULT_WORKSPACE
    database_url: str | None = None
    """SQLAlchemy URL; unset means a SQLite file inside the workspace."""


def load_settings() -> Settings:
    return Settings()

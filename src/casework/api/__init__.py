"""The REST API: a thin HTTP shell over the core, with API keys and roles.

`create_app` lives in `casework.api.app` and needs the `api` extra (FastAPI,
uvicorn); `keys` and `auth` do not, so the CLI can manage keys without it.
"""

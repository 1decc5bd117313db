"""The dashboard: server-rendered pages over the core, served by `casework serve`.

`casework.web.app.install_dashboard` mounts it on the API's FastAPI app under
`/dashboard/`; docs/dashboard.md describes the pages, sign-in and how to add a page.
"""

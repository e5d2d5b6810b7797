"""``missions-kg serve``: the graph over HTTP — a read-only SPARQL 1.1 Protocol endpoint and
Linked Data pages — and the same pages as a static site (``missions-kg site``).

:func:`create_app` is the ASGI application factory (Starlette), for the command, the tests
and any ASGI server::

    uvicorn --factory missions_kg.server:create_app

The server is the top layer: it calls the library (:mod:`missions_kg`'s front door, the
store, the label policy, the format registry, the safety check, the catalogue) and only
translates between HTTP and it.
"""

from __future__ import annotations


def create_app(project=None, **options):
    """See :func:`missions_kg.server.app.create_app`."""
    from .app import create_app as factory

    return factory(project, **options)


__all__ = ["create_app"]

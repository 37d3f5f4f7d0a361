"""``tidings serve``: a REST API and a web dashboard over the event store.

>>> from tidings.api import create_app
>>> app = create_app("tidings.duckdb")          # doctest: +SKIP
"""

from __future__ import annotations

from tidings.api.app import create_app

__all__ = ["create_app"]

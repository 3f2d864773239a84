"""``renda serve``: the HTTP driver, a second driving adapter beside the CLI.

It is a thin user of the public API (:func:`renda_core.open`), like the CLI: the same
command models, permission policy, reports and event log (``docs/http.md``). FastAPI
and uvicorn come with the ``renda[http]`` extra; this package imports them only in
:mod:`renda_core.http.app`, so ``renda token …`` works without them.
"""

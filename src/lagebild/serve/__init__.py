"""The HTTP layer: ``lagebild serve``, the situation picture as a web app and a JSON API over the
store, with the store kept current by an analysis worker (and feeds polled, with ``--watch``).

- ``app``: the FastAPI application, its security (loopback by default, a bearer token for every
  write, body limits, a strict Content-Security-Policy) and JSON errors; a pool of store
  connections handed to each request; the analysis worker's handle.
- ``kept``: answers kept while what they were made from is unchanged (a read of the picture per
  state of the picture, a story's page while the story is as it was).
- ``api``: ``/api/v1/``, the records of the JSON report contract, paged and filtered by day.
- ``pages``: server-rendered pages in the HTML report's look; they work without JavaScript, and a
  small same-origin script (``static/live.js``) refreshes them when the picture changes.
- ``atom``: every list as an Atom feed.
- ``worker``: a separate process that analyses what arrives (and polls feeds), so the server's
  requests never wait on analysis.
- ``processes``: ``--processes N``, N server processes on one socket sharing one worker, watched
  by a supervisor that starts again whichever dies.
"""

from lagebild.serve.app import Settings, create_app, run

__all__ = ["Settings", "create_app", "run"]

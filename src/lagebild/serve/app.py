"""The FastAPI application: settings, the analysis worker's life, a pool of store connections
handed to each request, the kept answers, security headers, and errors as JSON (API) or a page
(web app), never a traceback."""

from __future__ import annotations

import hmac
import ipaddress
import multiprocessing
import queue
import sys
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from lagebild import user_cache
from lagebild.serve.kept import Kept, KeptAnswers, SharedAnswers
from lagebild.store import Store, StoreError
from lagebild.store.backends import database_errors

DEFAULT_MAX_BODY = 5_000_000  # bytes of one request body (a POST of articles)
# pages and records kept to hand out again (about as many bytes), in each server process: the
# records of the 200 stories at the top of a 10,000-article store alone are 57 MB (the running story's
# 5.9 MB), so with 64 MB the most read answers pushed each other out and were made again and again
KEPT_CHARACTERS = 256_000_000
SHARED_ANSWER_BYTES = 1_000_000_000  # story pages and records kept on disk for all server processes
FLAG_LOOK_SECONDS = 0.1  # how soon a woken worker notices
WORKER_STOP_SECONDS = 30  # how long shutdown waits for the worker to finish what it links

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@dataclass
class Settings:
    db: Path
    token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_body: int = DEFAULT_MAX_BODY
    watch: Path | None = None  # a feed list the worker polls
    every: float = 300.0  # seconds between polls of a feed
    jobs: int = 1  # worker processes for the per-article stages
    analyse: bool = True  # run the analysis worker (off: a read-only window onto a store)
    processes: int = 1  # server processes answering requests (one analysis worker for all)
    embeddings: bool | None = None  # article vectors in linking; None: as the store was linked


class Flag:
    """A flag between processes that no process's death can jam: one byte of shared memory, looked
    at every FLAG_LOOK_SECONDS while waited for (a multiprocessing.Event's condition waits on
    every sleeper it wakes, a killed one too, and the next ``set`` hangs)."""

    def __init__(self, context):
        self._value = context.Value("b", 0, lock=False)

    def set(self) -> None:
        self._value.value = 1

    def clear(self) -> None:
        self._value.value = 0

    def is_set(self) -> bool:
        return bool(self._value.value)

    def wait(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not self.is_set() and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(FLAG_LOOK_SECONDS, left))
        return self.is_set()


class Analysis:
    """The analysis worker process (``serve.worker``) and its wake-up, owned by one process: the
    server's, or the supervisor of several server processes. Its work is in the store, so a worker
    that died is simply started again."""

    def __init__(self, settings: Settings, context=None):
        self.settings = settings
        self._context = context or multiprocessing.get_context("spawn")
        self.wake = Flag(self._context)
        self.stop = Flag(self._context)
        self._process = None

    def start(self) -> None:
        from lagebild.serve import worker

        self._process = self._context.Process(target=worker.work, args=(self.settings, self.wake, self.stop), name="lagebild-worker", daemon=True)
        self._process.start()

    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def restart_if_dead(self) -> None:
        if self._process is not None and not self._process.is_alive() and not self.stop.is_set():
            print(f"lagebild serve: the worker ended (exit code {self._process.exitcode}); starting it again", file=sys.stderr, flush=True)
            self.start()

    def end(self) -> None:
        if self._process is None:
            return
        self.stop.set()
        self.wake.set()
        self._process.join(WORKER_STOP_SECONDS)
        if self._process.is_alive():  # the store survives a stop at any moment (tests/test_engine.py)
            self._process.terminate()
            self._process.join()


class SharedAnalysis:
    """The worker as one of several server processes sees it: it can wake it and ask whether it
    runs; the supervisor that owns it starts it again if it dies (``serve.processes``)."""

    def __init__(self, wake, running):
        self.wake, self._running = wake, running

    def alive(self) -> bool:
        return bool(self._running.value)

    def restart_if_dead(self) -> None:
        pass  # the supervisor's work


def _made_by(db) -> str:
    """What a page or record kept on disk was made from besides its key: the serving code (with
    all it imports, and the templates) and this very store (a store made anew at the same path
    starts with other articles, or is another file)."""
    from lagebild.versions import code_version

    with Store(db) as store:
        first = store.connection.execute("SELECT id FROM articles ORDER BY seq LIMIT 1").fetchone()
    try:
        stat = Path(db).stat()
        where = f"{stat.st_dev}:{stat.st_ino}"
    except (OSError, ValueError):  # a PostgreSQL address
        where = str(db)
    return f"{code_version(('lagebild.serve.pages', 'lagebild.serve.api'), ('serve/templates', 'report/templates'))}:{where}:{first and first[0]}"


class Server:
    """What the requests share: the settings, a store per thread, the kept answers, the worker."""

    def __init__(self, settings: Settings, shared: SharedAnalysis | None = None):
        self.settings = settings
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._owned = Analysis(settings) if settings.analyse and shared is None else None
        self.analysis = shared or self._owned
        self.kept = Kept(KEPT_CHARACTERS)
        self.shared_answers = SharedAnswers(user_cache.folder() / "answers", SHARED_ANSWER_BYTES, _made_by(settings.db))

    @contextmanager
    def borrowed(self) -> Iterator[Store]:
        """A store connection of the pool, this request's alone until it is given back (requests
        run in a thread pool, and FastAPI may open and close a dependency in different threads)."""
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            store = Store(self.settings.db, shared=True)
        try:
            yield store
        finally:
            if store.connection.in_transaction:  # a request that failed halfway leaves nothing open
                store.connection.rollback()
            self._idle.put(store)

    def start_worker(self) -> None:
        if self._owned is not None:
            self._owned.start()

    def worker_alive(self) -> bool | None:
        """None when the server runs without one (``analyse`` off)."""
        return None if self.analysis is None else self.analysis.alive()

    def wake_worker(self) -> None:
        """Tell the worker there is work; start it again if it died (its work is in the store)."""
        if self.analysis is not None:
            self.analysis.restart_if_dead()
            self.analysis.wake.set()

    def stop_worker(self) -> None:
        if self._owned is not None:
            self._owned.end()

    def check_token(self, request: Request) -> None:
        """Every write needs the bearer token the server was started with."""
        if not self.settings.token:
            raise HTTPException(403, "writes are disabled: start lagebild serve with LAGEBILD_TOKEN set")
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.settings.token.encode()):
            raise HTTPException(401, "a write needs the header 'Authorization: Bearer <LAGEBILD_TOKEN>'", headers={"WWW-Authenticate": "Bearer"})


class SecurityHeaders:
    """ASGI middleware: every answer carries the security headers; a body over the limit (as its
    Content-Length says) is refused before it is read. Plain ASGI: a request costs it nothing else."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = scope["app"].state.lagebild.settings.max_body
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            response = JSONResponse({"error": f"the request body is over the limit of {limit} bytes"}, status_code=413)
            return await response(scope, receive, _secured(send))
        await self.app(scope, receive, _secured(send))


_SECURITY_HEADERS = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_SECURITY_NAMES = {name for name, _ in _SECURITY_HEADERS}


def _secured(send):
    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*(h for h in message.get("headers", []) if h[0].lower() not in _SECURITY_NAMES), *_SECURITY_HEADERS]}
        await send(message)

    return sending


def create_app(settings: Settings, shared: SharedAnalysis | None = None) -> FastAPI:
    from lagebild.serve import api, pages

    Store(settings.db).close()  # create or migrate the store once, before any request
    server = Server(settings, shared)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        server.start_worker()
        yield
        server.stop_worker()

    app = FastAPI(
        title="lagebild",
        summary="The situation picture of a news stream: stories, events, statements, numbers compared, wire copy.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads its script from a CDN; /docs is our own page (pages.docs)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.lagebild = server
    app.add_middleware(KeptAnswers)  # inside: what it keeps gets the security headers as it goes out
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("lagebild.serve") / "static")), name="static")
    return app


def _add_error_handlers(app: FastAPI) -> None:
    def answer(request: Request, status: int, reason: str, headers: dict | None = None):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": reason}, status_code=status, headers=headers)
        from lagebild.serve.pages import error_page

        return HTMLResponse(error_page(request, status, reason), status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        return answer(request, error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(404)
    async def not_found(request: Request, error):
        return answer(request, 404, getattr(error, "detail", None) or "no such page")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors())
        return answer(request, 422, f"bad request: {problems}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):  # a defect: said in one line, logged
        print(f"lagebild serve: {request.method} {request.url.path}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return answer(request, 500, "internal error: the server could not answer this request")

    async def store_error(request: Request, error: Exception):
        return answer(request, 503, f"the store cannot answer now ({error}); try again", {"Retry-After": "5"})

    for refused in (StoreError, *database_errors()):  # the store's driver is loaded by now
        app.add_exception_handler(refused, store_error)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(settings: Settings) -> None:
    """Serve until interrupted: uvicorn in this process, or in ``settings.processes`` processes
    on one socket (``serve.processes``); analysis in the worker process either way."""
    import uvicorn

    if settings.processes > 1:
        from lagebild.serve.processes import run_processes

        return run_processes(settings)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3)

"""``lagebild serve --processes N``: N server processes answering on one port, one analysis
worker for all, and this process watching them.

A request is Python work under one interpreter lock, so one server process answers on one core
at a time; several share the machine's cores. They share the store (each its own connections)
and wake the one worker; each keeps its own answers (``serve.kept``). The supervisor starts again
a server process or the worker that died, and on SIGINT or SIGTERM ends them all (the worker
finishes what it links first).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time

from lagebild.serve.app import Analysis, Settings, SharedAnalysis, create_app

LOOK_SECONDS = 0.5  # how often the supervisor looks at its processes
STOP_SECONDS = 10  # how long a server process may take to finish its requests when told to stop


def run_processes(settings: Settings) -> None:
    context = multiprocessing.get_context("spawn")
    sockets = _listen(settings.host, settings.port, settings.processes)
    analysis = Analysis(settings, context) if settings.analyse else None
    running = context.Value("b", 0, lock=False)  # whether the worker runs, as the supervisor last saw
    wake = analysis.wake if analysis else None
    servers = [_start_server(context, settings, listening, wake, running) for listening in sockets]
    if analysis:
        analysis.start()
    stopping = []
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, lambda *_: stopping.append(True))
    try:
        while True:
            time.sleep(LOOK_SECONDS)
            if stopping:  # a Ctrl-C ends the server processes too: they are not started again
                break
            servers = [_alive_or_again(process, context, settings, listening, wake, running) for process, listening in zip(servers, sockets)]
            if analysis:
                analysis.restart_if_dead()
                running.value = analysis.alive()
    finally:
        _end(servers)
        if analysis:
            analysis.end()
        for listening in sockets:
            listening.close()


def _listen(host: str, port: int, count: int) -> list[socket.socket]:
    """A listening socket for each server process, bound here so that a busy port fails at once.

    One socket shared by all would leave the connections to whichever process accepts first: a
    burst of new connections (twenty readers opening theirs) all went to one process while the
    other idled, and kept-alive connections stay where they landed. With SO_REUSEPORT each process
    has its own socket and the kernel spreads new connections over them. Where the option does not
    exist, the processes share one socket as before."""
    if count == 1 or not hasattr(socket, "SO_REUSEPORT"):
        return [_bound(host, port, reuse_port=False)] * count
    _bound(host, port, reuse_port=False).close()  # a port held by anyone (another lagebild too) fails here
    return [_bound(host, port, reuse_port=True) for _ in range(count)]


def cannot_listen(host: str, port: int) -> str | None:
    """Why a server could not listen on host:port (the port in use, an address not of this
    machine), or None if it can."""
    try:
        _bound(host, port, reuse_port=False).close()
    except OSError as error:
        return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def _bound(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listening.bind((host, port))
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening


def _start_server(context, settings: Settings, listening: socket.socket, wake, running):
    process = context.Process(target=_serve, args=(settings, listening, wake, running), name="lagebild-server", daemon=True)
    process.start()
    return process


def _alive_or_again(process, context, settings, listening, wake, running):
    if process.is_alive():
        return process
    print(f"lagebild serve: a server process ended (exit code {process.exitcode}); starting it again", file=sys.stderr, flush=True)
    return _start_server(context, settings, listening, wake, running)


def _end(servers: list) -> None:
    for process in servers:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests it has, then exits
    for process in servers:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def _serve(settings: Settings, listening: socket.socket, wake, running) -> None:
    import uvicorn

    shared = SharedAnalysis(wake, running) if wake is not None else None
    config = uvicorn.Config(create_app(settings, shared), log_level="warning", timeout_graceful_shutdown=3)
    uvicorn.Server(config).run(sockets=[listening])

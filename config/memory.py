"""How the web processes handle the garbage collector (config/wsgi.py; benchmarks/pages.py does
the same around its requests).

A page allocates tens of thousands of short-lived objects. With the collector's automatic passes,
the objects a request still holds get promoted to the oldest generation, and every few requests a
full pass walks them all: a 40-65 ms pause in the middle of a request (measured with
benchmarks/pages.py, the panel page: p50 30 ms, p95 90-135 ms). So the automatic passes are off;
after each response is sent, the young generations are collected (1-3 ms, outside the request's
time), and the whole heap every FULL_EVERY responses. What start-up loaded is frozen: it lives
as long as the process and no pass needs to walk it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

FULL_EVERY = 1000


class Collector:
    def __init__(self) -> None:
        self.served = 0

    def after_response(self) -> None:
        self.served += 1
        gc.collect(2 if self.served % FULL_EVERY == 0 else 1)


def start_up() -> Collector:
    """At the end of a web process's start-up: freeze what is loaded, stop automatic passes."""
    gc.collect()
    gc.freeze()
    gc.disable()
    return Collector()


class _ThenCollect:
    """A WSGI response body that collects garbage once the server has sent it (close())."""

    def __init__(self, body: Iterable[bytes], after: Callable[[], None]) -> None:
        self.body, self.after = body, after

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.after()


def collecting_after_responses(application: Any) -> Any:
    """Wrap a WSGI application: garbage is collected after each response, never during one. A
    file streamed through the server's file wrapper (sendfile) is left as it is; the collection
    then waits for the next response."""
    collector = start_up()

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        body = application(environ, start_response)
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None and isinstance(wrapper, type) and isinstance(body, wrapper):
            return body
        return _ThenCollect(body, collector.after_response)

    return wrapped

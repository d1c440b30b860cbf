"""Composition root: reads the config, wires adapters into the core, serves health."""
import signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from billing import health
from billing.adapters.memory import MemoryInvoiceStore
from billing.config import Settings
from billing.core import invoice

STORE = MemoryInvoiceStore()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        route = health.ROUTES.get(self.path)
        status, body = route() if route else (404, "not found")
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body.encode())


def run() -> None:
    settings = Settings.from_environment()
    server = ThreadingHTTPServer(("", settings.port), Handler)

    def stop(signum: int, frame: object) -> None:
        health.READY.clear()
        server.shutdown()

    signal.signal(signal.SIGTERM, stop)
    health.READY.set()
    assert invoice.issue
    server.serve_forever()

"""A local TCP server that accepts connections and never answers: a hung Redis."""

import socket
import threading
from contextlib import contextmanager


@contextmanager
def hung_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # keep it open, never read nor write
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def celery_app_for(port: int, transport_options: dict):
    """A Celery app configured as production's, but pointing at ``port``."""
    from celery import Celery
    from django.conf import settings

    app = Celery("hung-redis-probe")
    url = f"redis://127.0.0.1:{port}/0"
    app.conf.update(
        broker_url=url,
        result_backend=url,
        broker_transport_options=transport_options,
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        broker_connection_max_retries=settings.CELERY_BROKER_CONNECTION_MAX_RETRIES,
        task_publish_retry=False,
    )
    return app

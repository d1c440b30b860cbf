import threading

READY = threading.Event()


def livez() -> tuple[int, str]:
    return 200, "ok"


def readyz() -> tuple[int, str]:
    return (200, "ready") if READY.is_set() else (503, "not ready")


ROUTES = {"/livez": livez, "/readyz": readyz}

import signal
import sys

from notifier import config
from notifier.client import send


def run() -> None:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    send(f"notifier started, mail via {config.SMTP_HOST}")


if __name__ == "__main__":
    run()

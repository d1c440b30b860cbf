"""A package must not import a service: the service should import the package."""
from notifier.client import send


def render_and_send(text: str) -> None:
    send(text)

from notifier.client import send


def test_send_accepts_text() -> None:
    send("hello")

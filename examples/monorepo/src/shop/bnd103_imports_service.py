"""The app must not import a service: it should call the notifier over HTTP."""
import notifier.client


def announce(order_id: str) -> None:
    notifier.client.send(f"order {order_id} paid")

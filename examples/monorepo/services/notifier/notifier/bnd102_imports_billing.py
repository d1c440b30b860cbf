"""A service must not import another service: billing should publish an event."""


def notify_paid(order_id: str) -> None:
    from billing.core.invoice import Invoice

    send_text = f"invoice {Invoice.__name__} for {order_id}"
    print(send_text)

from dataclasses import dataclass

from money import Money

from billing.ports.invoices import InvoiceStore


@dataclass
class Invoice:
    order_id: str
    total: Money


def issue(store: InvoiceStore, order_id: str, total: Money) -> Invoice:
    invoice = Invoice(order_id, total)
    store.save(invoice)
    return invoice

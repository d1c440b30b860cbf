from billing.core.invoice import Invoice
from billing.ports.invoices import InvoiceStore


class MemoryInvoiceStore(InvoiceStore):
    def __init__(self) -> None:
        self.invoices: list[Invoice] = []

    def save(self, invoice: Invoice) -> None:
        self.invoices.append(invoice)

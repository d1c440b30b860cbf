from money import Money

from billing.adapters.memory import MemoryInvoiceStore
from billing.core.invoice import issue


def test_issue_saves_invoice() -> None:
    store = MemoryInvoiceStore()
    issue(store, "o-1", Money(100))
    assert len(store.invoices) == 1

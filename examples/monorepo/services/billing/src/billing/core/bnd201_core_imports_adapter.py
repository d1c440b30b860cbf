"""Core must not import an adapter: it should depend on the InvoiceStore port."""
from billing.adapters.memory import MemoryInvoiceStore

DEFAULT_STORE = MemoryInvoiceStore()

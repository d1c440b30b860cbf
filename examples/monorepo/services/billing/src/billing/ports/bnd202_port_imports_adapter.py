"""A port must not import an adapter: ports stay abstract."""
from ..adapters import memory

Store = memory.MemoryInvoiceStore

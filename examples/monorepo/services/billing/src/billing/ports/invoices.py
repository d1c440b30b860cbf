from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from billing.core.invoice import Invoice


class InvoiceStore(Protocol):
    def save(self, invoice: Invoice) -> None: ...

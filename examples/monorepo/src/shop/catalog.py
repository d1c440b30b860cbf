from dataclasses import dataclass

from money import Money


@dataclass
class Product:
    sku: str
    price: Money

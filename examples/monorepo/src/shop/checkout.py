from money import Money
from textkit.render import render_receipt

from .catalog import Product


def receipt(products: list[Product]) -> str:
    total = sum((product.price for product in products), Money(0))
    return render_receipt([product.sku for product in products], total)

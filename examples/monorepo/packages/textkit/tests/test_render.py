from money import Money
from textkit.render import render_receipt


def test_total_line() -> None:
    assert render_receipt([], Money(150)).endswith("total: 1.50")

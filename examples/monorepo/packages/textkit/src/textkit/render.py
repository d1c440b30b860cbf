from money import Money


def render_receipt(lines: list[str], total: Money) -> str:
    return "\n".join([*lines, f"total: {total.cents / 100:.2f}"])

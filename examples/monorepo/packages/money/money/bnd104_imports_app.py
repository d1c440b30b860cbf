"""A package must not import the app: the currency should be passed in."""
from shop import checkout

DEFAULT_CURRENCY = getattr(checkout, "CURRENCY", "EUR")

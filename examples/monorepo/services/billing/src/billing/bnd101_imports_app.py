"""A service must not import the app: product data should come over the app's API."""
from shop.catalog import Product

KNOWN_PRODUCT_TYPE = Product

"""Keep a monorepo's import boundaries between services, packages and the app honest."""

__version__ = "0.1.0"

"""Exceptions raised by service-boundaries."""


class BoundariesError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(BoundariesError):
    """An option or contract field has a value that cannot be used."""


class WorkspaceError(BoundariesError):
    """The workspace root is missing, unreadable or not a monorepo."""

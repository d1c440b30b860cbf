"""Plain-text rendering helpers."""

"""Notifier service: sends messages to customers."""

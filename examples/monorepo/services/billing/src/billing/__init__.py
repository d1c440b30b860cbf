"""Billing service: turns orders into invoices."""

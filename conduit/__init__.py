"""Conduit: a metering, budgeting and governance proxy for AI coding agents."""

__version__ = "0.1.0"

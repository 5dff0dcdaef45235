"""Reusable dashboard widgets and cell renderers: status colours, tables that update in place, charts, bars."""

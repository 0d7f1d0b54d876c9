"""Helpers shared by test modules (real tools driven from tests, e.g. LibreOffice)."""

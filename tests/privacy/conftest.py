"""The browser fixtures of the end-to-end tests, for the "delete my account" browser test."""

from tests.e2e.conftest import browser, page

__all__ = ["browser", "page"]

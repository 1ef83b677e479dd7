"""The browser fixtures of the end-to-end tests, for the CSP check in a real browser."""

from tests.e2e.conftest import browser, page

__all__ = ["browser", "page"]

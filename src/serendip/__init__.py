"""serendip: a platform that makes professional networking work for business clubs."""

__version__ = "0.1.0"

"""Security: secrets, sign-in throttling, CSP, HTTPS settings and access defects."""

"""The demo club: realistic, reproducible data for trying serendip on a laptop."""

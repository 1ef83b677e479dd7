"""Pure optimisation and scoring engines: no Django import, no I/O.

Each engine is a package whose ``__init__`` (its ``__all__``) is its one public face:
``meetings`` (one-to-one programmes), ``mixer`` (table rotations), ``recommend`` (whom to
meet) and ``network`` (ties, follow-ups, routing asks). Nothing outside ``serendip.engines``
imports their modules, and they import nothing of the club's: tests/test_import_rules.py
checks both, docs/architecture.md lists the verbs.
"""

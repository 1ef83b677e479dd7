"""Pure optimisation and scoring engines: no Django import, no I/O."""

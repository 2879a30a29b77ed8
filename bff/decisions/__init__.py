"""Pure decision logic: see README.md in this folder for the rule (no I/O, no clock)."""

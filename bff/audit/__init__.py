"""The audit log: append-only, hash-chained records of admin actions and alerts."""

"""The audit log: append-only records of admin actions and alerts, in a keyed hash chain in Redis,
anchored by signed checkpoints in a file under VAR_DIR (docs/security.md)."""

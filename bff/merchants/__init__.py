"""Merchant onboarding: the document's edits (pure), the admin operations shared by the CLI
and the admin RPC, and the ``flask --app bff merchants`` commands (docs/merchants.md)."""

"""Access control: roles and their permissions, dashboard users (password + TOTP)."""

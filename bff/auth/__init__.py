"""Access control: roles and their permissions, dashboard users (password + TOTP), their
sessions (in Redis) and the account lockout, and the ``flask users`` commands."""

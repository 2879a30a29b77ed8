"""``flask --app bff users create|set-password|set-role|unlock``: dashboard users.

Every command is audited (actor ``cli``). A new password or role ends all of the user's
dashboard sessions, so whoever held one must sign in again with the new credentials
and gets the new role; ``unlock`` lifts an account lockout (``bff/auth/lockout.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from bff.audit.log import AuditLog, actor_cli, record_safely
from bff.auth.dashboard_sessions import DashboardSessionStore
from bff.auth.lockout import LoginLockout
from bff.auth.roles import ROLES
from bff.auth.users import UserStore, provisioning_uri

users_group = AppGroup("users", help="Dashboard users (password + TOTP).")


def _extension(name: str) -> Any:
    return current_app.extensions[name]


def _audit(action: str, username: str, **details: Any) -> None:
    audit: AuditLog = _extension("onsite.audit")
    record_safely(audit, action, actor_cli(), target={"user": username}, details=details)


def _revoke_sessions(username: str) -> int:
    sessions: DashboardSessionStore = _extension("onsite.dashboard_sessions")
    return sessions.revoke_user(username)


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--merchant", default=None, help="For merchant_admin users: their merchant.")
@click.password_option(help="At least 12 characters (prompted when omitted).")
def create_user(username: str, role: str, merchant: str | None, password: str) -> None:
    """Create a user; prints the TOTP provisioning URI to scan into an authenticator app."""
    users: UserStore = _extension("onsite.users")
    try:
        user = users.create(username, role, password, dt.datetime.now(dt.UTC), merchant)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _audit("user.create", username, role=role)
    click.echo(f"user {username} ({role}) created. Scan this into an authenticator app (shown once):")
    click.echo(provisioning_uri(user))


@users_group.command("set-password")
@click.argument("username")
@click.password_option(help="At least 12 characters (prompted when omitted).")
def set_password(username: str, password: str) -> None:
    """Give USERNAME a new password and end all of their dashboard sessions."""
    users: UserStore = _extension("onsite.users")
    try:
        users.set_password(username, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    ended = _revoke_sessions(username)
    _audit("user.set_password", username, sessions_ended=ended)
    click.echo(f"password of {username} changed; {ended} dashboard session(s) ended")


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--merchant", default=None, help="For merchant_admin: their merchant.")
def set_role(username: str, role: str, merchant: str | None) -> None:
    """Give USERNAME another ROLE and end all of their dashboard sessions."""
    users: UserStore = _extension("onsite.users")
    try:
        before = users.get(username)
        users.set_role(username, role, merchant)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    ended = _revoke_sessions(username)
    _audit("user.set_role", username, role=role, previous=before.role if before else None,
           sessions_ended=ended)  # fmt: skip
    click.echo(f"{username} is now {role}; {ended} dashboard session(s) ended")


@users_group.command("unlock")
@click.argument("username")
def unlock(username: str) -> None:
    """Lift the lock that repeated failed sign-ins put on USERNAME."""
    lockout: LoginLockout = _extension("onsite.login_lockout")
    if not lockout.unlock(username.strip().lower()):
        raise click.ClickException(f"{username} is not locked")
    _audit("user.unlock", username.strip().lower())
    click.echo(f"{username} unlocked")

"""``flask --app bff ...`` commands."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import Flask, current_app

from bff.settings import Settings


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)


@click.command("demo")
def demo_command() -> None:
    """Serve the demo shop and the frames with the dev server (not for production)."""
    settings: Settings = current_app.extensions["onsite.settings"]
    public = urlsplit(settings.public_origin)
    port = public.port or 80
    click.echo(f"Demo shop:  {settings.demo_origin}/demo")
    click.echo(f"Frames/BFF: {settings.public_origin}  (Ctrl+C to stop)")
    current_app.run(host=public.hostname or "127.0.0.1", port=port, debug=False, use_reloader=False)

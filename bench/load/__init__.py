"""Load benchmark of the render RPC under gunicorn (wrk); see README.md here."""

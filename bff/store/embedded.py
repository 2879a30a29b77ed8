"""The embedded Redis: a private ``redis-server`` on a unix socket under ``var/``, with AOF on.

Used when no ``REDIS_URL`` is configured. The process that starts the server owns it and
stops it on exit; another process of the same app (a second gunicorn worker, the dev
server's reloader child) that finds a live socket reuses it without owning it.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import subprocess
import time
from pathlib import Path

import redis

from bff.errors import RedisNotInstalled, StoreUnavailable
from bff.processes import stop_process

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


class EmbeddedRedis:
    """A ``redis-server`` child process bound to ``<var_dir>/redis.sock``.

    ``start()`` returns the ``unix://`` URL to connect to. It raises ``RedisNotInstalled``
    when there is no ``redis-server`` on PATH and ``StoreUnavailable`` when the server
    does not come up within ``START_TIMEOUT_S``. ``stop()`` is idempotent.
    """

    def __init__(self, var_dir: Path, executable: str = "redis-server") -> None:
        self.var_dir = Path(var_dir)
        self.executable = executable
        self.socket_path = self.var_dir / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self) -> str:
        """Start the server unless a live one already answers on the socket; return its URL."""
        if self._answers():
            return self.url
        binary = shutil.which(self.executable)
        if binary is None:
            raise RedisNotInstalled()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self.process = subprocess.Popen(
            [binary, *self._arguments()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        atexit.register(self.stop)
        self._wait_until_ready()
        return self.url

    def stop(self) -> None:
        """Stop the server if this object started it (AOF is flushed by redis on SIGTERM)."""
        process, self.process = self.process, None
        if process is not None:
            stop_process(process, STOP_TIMEOUT_S)

    def _arguments(self) -> list[str]:
        return [
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.var_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.var_dir / "redis.log"),
            # Profile buckets hold ~100 packed profiles of ~50 bytes: keep them listpacks.
            "--hash-max-listpack-entries", "256",
            "--hash-max-listpack-value", "128",
        ]  # fmt: skip

    def _answers(self) -> bool:
        if not self.socket_path.exists():
            return False
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=0.5)
        try:
            return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError):
            return False
        finally:
            client.close()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                log = self.var_dir / "redis.log"
                raise StoreUnavailable(f"redis-server exited with code {self.process.returncode}; see {log}")
            if self._answers():
                return
            time.sleep(0.02)
        self.stop()
        raise StoreUnavailable(
            f"redis-server did not answer on {self.socket_path} within {START_TIMEOUT_S:.0f} s"
        )

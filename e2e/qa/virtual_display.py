"""An X display for WebKitGTK's MiniBrowser: Xvfb sized to one device, plus a window manager.

WebKitGTK has no device emulation, so the display is the device: its screen is the
device's viewport times its scale, and ``GDK_SCALE`` gives the browser that scale. The
MiniBrowser's window has a toolbar and a minimum width of 447 px; full-screen mode hides
both, and needs a window manager: matchbox-window-manager, the smallest in Debian. (The
MiniBrowser's ``--headless`` flag hung.) The scale is a whole number (see
``Device.webkit_scale``).
"""

from __future__ import annotations

import math
import os
import select
import shutil
import subprocess
import time

from bff.processes import stop_process

XVFB = "Xvfb"
WINDOW_MANAGER = "matchbox-window-manager"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
WINDOW_MANAGER_SETTLE_S = 0.3


def missing_programs() -> list[str]:
    return [name for name in (XVFB, WINDOW_MANAGER) if shutil.which(name) is None]


class VirtualDisplay:
    """Xvfb and a window manager; ``display`` is e.g. ``":93"``. Stopped by ``stop()``."""

    def __init__(self, width: int, height: int, scale: int) -> None:
        self.width, self.height, self.scale = width, height, scale
        self.display = ""
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._window_manager: subprocess.Popen[bytes] | None = None

    def start(self) -> VirtualDisplay:
        read_fd, write_fd = os.pipe()
        screen = f"{math.ceil(self.width * self.scale)}x{math.ceil(self.height * self.scale)}x24"
        try:
            self._xvfb = subprocess.Popen(
                [XVFB, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-ac"],
                pass_fds=(write_fd,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            os.close(write_fd)
            self.display = ":" + self._read_display_number(read_fd)
        finally:
            os.close(read_fd)
        self._window_manager = subprocess.Popen(
            [WINDOW_MANAGER, "-use_titlebar", "no"],
            env={**os.environ, "DISPLAY": self.display},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(WINDOW_MANAGER_SETTLE_S)
        return self

    def _read_display_number(self, read_fd: int) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        data = b""
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(remaining, 0))
            if not ready:
                self.stop()
                raise RuntimeError(f"Xvfb did not start within {START_TIMEOUT_S:.0f}s")
            chunk = os.read(read_fd, 16)
            if not chunk:
                self.stop()
                raise RuntimeError("Xvfb exited before it opened a display")
            data += chunk
        return data.decode().strip()

    def stop(self) -> None:
        for process in (self._window_manager, self._xvfb):
            if process is not None:
                stop_process(process, STOP_TIMEOUT_S)
        self._window_manager = self._xvfb = None

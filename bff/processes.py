"""Stopping a child process without ever hanging: SIGTERM, a bounded wait, then SIGKILL.

One helper for every process the project starts (the embedded Redis, test and benchmark
servers, the QA suite's virtual display).
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import Any

STOP_TIMEOUT_S = 10.0


def stop_process(
    process: subprocess.Popen[Any], timeout_s: float = STOP_TIMEOUT_S, group: bool = False
) -> None:
    """Stop ``process`` if it still runs: SIGTERM, wait ``timeout_s``, then SIGKILL and wait again.

    With ``group``, the SIGKILL goes to the process group the process leads (started with
    ``start_new_session=True``), so its children go too. Returns once it has exited.
    """
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=timeout_s)

"""placements.render through the Flask test client: this tree against another revision.

Usage: ``python bench/render_compare.py [REV]`` (default: the foundation commit 793a5e6).
REV is checked out into a temporary git worktree; both trees are timed in separate
processes, alternating, each with its own embedded redis-server. Every call is a real
JSON-RPC request through flask-jsonrpc with a new session (so this tree writes a sticky
pick per call, the worst case). Prints per-call medians and the ratio.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOUNDATION = "793a5e6"
ROUNDS = 5
CALLS = 1_000

TIMER = r"""
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bff import create_app
from bff.settings import Settings
app = create_app(Settings(var_dir=Path(tempfile.mkdtemp()), log_level="error"))
client = app.test_client()
def body(i):
    return {"jsonrpc": "2.0", "id": i, "method": "placements.render", "params": {
        "client_id": "demo", "placement_key": "credit-badge", "locale": "en-GB",
        "purchase_amount": 9900 + i % 500, "session_id": f"session-{i:024d}"}}
for i in range(200):
    client.post("/rpc", json=body(i))
start = time.perf_counter()
for i in range(int(sys.argv[2])):
    assert "result" in client.post("/rpc", json=body(i)).get_json()
print(json.dumps((time.perf_counter() - start) / int(sys.argv[2]) * 1e6))
app.extensions["onsite.embedded_redis"].stop()
"""


def time_tree(tree: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(tree), str(CALLS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else FOUNDATION
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), rev],
            check=True,
            capture_output=True,
            timeout=60,
        )
        try:
            this_runs, other_runs = [], []
            for _ in range(ROUNDS):
                other_runs.append(time_tree(other))
                this_runs.append(time_tree(ROOT))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)],
                check=False,
                capture_output=True,
                timeout=60,
            )
    this, base = statistics.median(this_runs), statistics.median(other_runs)
    print(f"placements.render per call (median of {ROUNDS} x {CALLS}, test client, embedded Redis)")
    print(f"  {rev:>12}: {base:7.0f} µs")
    print(f"  {'this tree':>12}: {this:7.0f} µs   ratio {this / base:.2f}")


if __name__ == "__main__":
    main()

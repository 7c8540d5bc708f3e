"""Wall time of a full embedded run, as a ratio to the floor of importing the demo's libraries.

    python benchmarks/wall_time.py [RUNS]

Both commands run as fresh processes, alternately, RUNS times each (default 20); the medians are compared.
Timing lives here, never in the tests.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demo.py"
FLOOR = [sys.executable, "-c", "import sqlalchemy, psycopg2, doltlite"]


def seconds(command: list[str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as folder:
        demo = [sys.executable, str(DEMO), "--embedded", "bench.db"]
        seconds(demo, folder)  # the first run creates the file; later runs are the usual re-runs
        floor, full = [], []
        for _ in range(runs):
            floor.append(seconds(FLOOR, folder))
            full.append(seconds(demo, folder))
    f, d = statistics.median(floor), statistics.median(full)
    print(
        f"floor (imports only): {f * 1000:.0f} ms   demo --embedded: {d * 1000:.0f} ms   ratio: {d / f:.2f}x"
    )


if __name__ == "__main__":
    main()

"""The speed of this machine right now, to set beside a timing taken in the same hour: a fixed pure-Python loop
(30 million additions), median of three. Machines of one size differ from day to day (7 Dec 2026: 2.97-4.52 s
on one machine within an hour), so a figure is compared with another only through this or its own floor.

    python3 bench/cpu.py
"""

import statistics
import time


def loop() -> float:
    started, total = time.perf_counter(), 0
    for i in range(30_000_000):
        total += i
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"pure-Python loop: {statistics.median(loop() for _ in range(3)):.2f} s")

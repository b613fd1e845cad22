"""A forecast's memory stops growing with its samples: statistics are folded
in chunk by chunk, so 10^6 samples of the 45-task launch (solve included)
peak under 300 MB (before: 1.4 GB), and ten times the samples add little.
Each run is its own process, so the peak (VmHWM) is the forecast's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

LAUNCH = Path(__file__).resolve().parents[1] / "service" / "data" / "launch.json"
PEAK_LIMIT_MB = 300
# The peak of this process's own memory (VmHWM): ru_maxrss would also count the
# parent's peak, which Linux carries over an exec (a 2 GB pytest run read 2 GB).
RUN = (
    "import json, sys\n"
    "from service.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    "peak = int(status.split()[0]) / 1024\n"
    "print(json.dumps({'peak_mb': peak}), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def forecast_peak(samples: int) -> tuple[dict[str, object], float]:
    """The forecast's JSON and the process's peak resident memory in MB."""
    command = [
        sys.executable, "-c", RUN, "forecast", str(LAUNCH),
        "--samples", str(samples), "--seed", "3", "--time-limit", "5", "--json",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    peak = json.loads(done.stderr.strip().splitlines()[-1])["peak_mb"]
    result: dict[str, object] = json.loads(done.stdout)
    return result, float(peak)


@pytest.mark.slow
def test_a_million_samples_of_the_launch_stay_under_300_mb() -> None:
    _, small_peak = forecast_peak(100_000)
    large, large_peak = forecast_peak(1_000_000)
    print(f"peak: 1e5 samples {small_peak:.0f} MB, 1e6 samples {large_peak:.0f} MB")
    assert large["samples"] == 1_000_000
    duration = large["duration"]
    assert isinstance(duration, dict)
    assert 0 < duration["p50"] <= duration["p80"] <= duration["p95"]
    assert large_peak < PEAK_LIMIT_MB
    # Ten times the samples: +50 MB with chunked statistics (was +1 GB).
    assert large_peak - small_peak < 100

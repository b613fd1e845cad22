"""`planforge calibrate [--backtest]`: calibration factors learnt from the
store at PLANFORGE_DATABASE_URL, and how well forecasts would have done with
and without them (`service.calibration`)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any


def add_calibrate_command(commands: Any) -> None:
    calibrate = commands.add_parser(
        "calibrate",
        help="learn how long work really takes per reference class (group, skills)",
        description="Print each reference class's factor (actual / most likely, "
        "shrunk toward 1 when observations are few). With --backtest, replay each "
        "finished project from its midpoint and print P50/P80 coverage and the mean "
        "absolute error, without and with calibration.",
    )
    calibrate.add_argument("--backtest", action="store_true")
    calibrate.add_argument("--samples", type=int, default=2000)
    calibrate.add_argument("--seed", type=int, default=0)
    calibrate.add_argument("--json", action="store_true", help="print JSON")
    calibrate.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    # Loaded here, not with the parser: every command builds the parser.
    from service.calibration import backtest
    from service.settings import Settings
    from service.usecases import Planforge

    planforge = Planforge(Settings())
    factors = planforge.calibration_factors()
    answer: dict[str, Any] = {"factors": [asdict(f) for f in factors.values()]}
    if args.backtest:
        result = backtest(planforge.store, args.samples, args.seed)
        answer["backtest"] = {
            "before": asdict(result.before),
            "after": asdict(result.after),
        }
    if args.json:
        print(json.dumps(answer, indent=2))
        return 0
    print(f"{'reference class':<32} {'factor':>7} {'mean':>7} {'n':>5}")
    for f in factors.values():
        print(
            f"{f.reference_class:<32} {f.factor:7.3f} {f.mean_ratio:7.3f} "
            f"{f.observations:5d}"
        )
    if args.backtest:
        print(
            f"\nbacktest over {result.before.projects} finished projects "
            "(forecast from each one's midpoint):"
        )
        print(f"{'':<12} {'P50 cover':>10} {'P80 cover':>10} {'MAE days':>9}")
        for label, score in (
            ("estimated", result.before),
            ("calibrated", result.after),
        ):
            print(
                f"{label:<12} {score.p50_coverage:10.0%} {score.p80_coverage:10.0%} "
                f"{score.mean_absolute_error:9.2f}"
            )
    return 0

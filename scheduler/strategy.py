"""The search strategy in one place: which solve a problem gets, the shares
of the limits each phase takes, and how large a search's neighbourhoods are.

Every figure that decides *how* a plan is searched for (not what a plan must
satisfy) stands here, with what it was measured on. Modules read these names;
none keeps a threshold or a share of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Which solve a problem gets -------------------------------------------
# Up to this many tasks CP-SAT gets the whole time alone: on PSPLIB j30 (32
# tasks, 10 s) it put all 480 at the optimum (473 proven, mean 0.29 s) where
# the search pipeline put 478 (465 proven, 0.36 s).
WHOLE_MODEL_MAX_TASKS = 40
# From this many tasks asking for people on, a staffing problem is searched
# (greedy start + LNS) instead of handed to the plain model.
SEARCH_MIN_TASKS = 60

# --- Shares of the time (and work) limit ----------------------------------


@dataclass(frozen=True)
class Shares:
    """The whole-model solves around a makespan search: the `first` (its
    schedule starts the search, its bound stops it) and a `final` one hinted
    with the best schedule (to prove it or improve on it)."""

    first: float
    final: float


# A search by LNS alone (people, windows, general links).
LNS_SHARES = Shares(first=0.2, final=0.2)
# A plain RCPSP, where the genetic search runs. With 0.2 / 0.2, on 33 j120
# instances (the _2 of groups 1-59, 10 s) LNS and the final solve shortened
# one schedule after the genetic search, by one day. 0.1 / 0.05 (the genetic
# search gets 8 s instead of 5): mean gap 3.70 -> 2.86 % on the 17 hard ones
# (load 3-10 vs 3-7), 1.00 -> 0.95 % on the 16 others; on the j120
# `--every 10` sample 1.16 % before and 1.19 / 1.16 % after (loads 2-3 vs
# 3-7 / 2-5). CP-SAT proves the easy instances within the first 1 s.
GENETIC_SHARES = Shares(first=0.1, final=0.05)


def makespan_shares(genetic: bool) -> Shares:
    """The shares of a makespan search, by whether the genetic search runs."""
    return GENETIC_SHARES if genetic else LNS_SHARES


# What a plan with soft deadlines gets at least, after the hard one failed.
SOFT_SHARE = 0.25
# The genetic search, of what the makespan search has left. 0.6 before; under
# load (10 s, load 10-15) the genetic search found every gain on the hard
# generated tuning instances and LNS after it none: 0.85 (with restarts,
# scheduler.search.genetic) shortened them by 0.5 % on the sum. 0.3 was worse
# than 0.6 on idle j60. 0.95 with GENETIC_SHARES (above).
GENETIC_SHARE = 0.95
# The greedy multi-start of a staffing or portfolio search.
GREEDY_SHARE = 0.15
# The staffing search's last full solve (proves makespan bounds).
STAFFING_FINAL_SHARE = 0.3
# Re-ranking whole projects, of the portfolio search's time after the greedy plan.
ORDER_SHARE = 0.5

# --- Fixed counts for work-limited (reproducible) runs ---------------------
# Schedules a genetic search evaluates per unit of CP-SAT work.
EVALUATIONS_PER_WORK = 800

# --- Model strengthening ---------------------------------------------------
# Pools of people whose bound is within this share of the best get a
# redundant cumulative.
TIGHT_POOL_SHARE = 0.8


@dataclass(frozen=True)
class Sizing:
    """How large one kind of LNS step is, and how it adapts.

    The first step frees `first` tasks; a step solved to optimality frees
    `grow` times more the next time, one cut short `shrink` times fewer,
    within [least, most]. A step may take `step_seconds` of wall time and
    `step_work` of CP-SAT work; it is charged at least `step_overhead` work
    (building its model, which CP-SAT does not count).
    """

    first: float
    least: float
    most: float
    step_seconds: float
    step_work: float
    grow: float = 1.05
    shrink: float = 0.95
    step_overhead: float = 0.005

    def bounded(self, size: float) -> float:
        return min(max(size, self.least), self.most)


def makespan_sizing(tasks: int) -> Sizing:
    """Sub-models of the whole model on the makespan: a fifth of the tasks
    first, at least 5, small steps of one worker each."""
    least = min(5, tasks)
    return Sizing(max(0.2 * tasks, least), least, tasks, 1.0, 0.05)


def staffing_sizing(tasks: int, staffed: int) -> Sizing:
    """Re-assigning people: a quarter of the staffed tasks (8 to 60), steps
    of half a second to 3 s by size."""
    first = max(8, min(60, staffed // 4))
    seconds = max(0.5, min(3.0, tasks / 100))
    return Sizing(first, 8, max(first, 60), seconds, seconds)


# Re-planning whole projects or a window of a portfolio: 200 tasks first,
# between 50 and 400, steps of up to 2 s.
PORTFOLIO_SIZING = Sizing(200, 50, 400, 2.0, 2.0, grow=1.25, shrink=0.8)


# Re-ranking whole projects (scheduler.search.ordering): one greedy decode per
# step, no sub-model to size. A step counts 1/16 of a unit of work (20 rankings
# per unit before; a power of two adds up exactly), so a work-limited run tries
# 16 rankings per unit.
ORDER_SIZING = Sizing(1, 1, 1, 1.0, 1 / 16, step_overhead=1 / 16)

"""The one longest-path routine: forward starts, backward latest starts, a
positive cycle found, ties kept, an extra bound relaxed with the edges."""

from __future__ import annotations

from domain import DependencyType
from scheduler.problem.data import PrecedenceData, TaskData
from scheduler.problem.instance import SchedulingProblem
from scheduler.problem.paths import longest_paths


def chain(*links: PrecedenceData) -> SchedulingProblem:
    return SchedulingProblem(
        ("a", "b", "c"), (), (TaskData(4), TaskData(10), TaskData(2)), (), links
    )


def test_forward_starts_follow_the_longest_path_and_name_their_setter() -> None:
    problem = chain(PrecedenceData(0, 1), PrecedenceData(1, 2), PrecedenceData(0, 2))

    paths = problem.longest_paths([0, 0, 0])

    assert paths.values == [0, 4, 14]
    assert paths.setters == [None, 0, 1]
    assert paths.moving is None


def test_backward_latest_starts_fall_to_the_least_limit() -> None:
    problem = chain(PrecedenceData(0, 1), PrecedenceData(0, 2))

    assert problem.latest_starts([100, 10, 20]) == [6, 10, 20]


def test_a_loop_of_negative_total_lag_is_kept_and_a_positive_one_moves() -> None:
    back = PrecedenceData(2, 0, DependencyType.SS, -20)
    feasible = chain(PrecedenceData(0, 1), PrecedenceData(1, 2), back)
    assert feasible.earliest_starts() == [0, 4, 14]

    tight = PrecedenceData(2, 0, DependencyType.SS, -10)
    paths = chain(PrecedenceData(0, 1), PrecedenceData(1, 2), tight).longest_paths(
        [0, 0, 0]
    )
    assert paths.moving is not None
    assert {paths.setter(t) for t in range(3)} == {0, 1, 2}


def test_ties_keep_a_predecessor_that_reaches_a_start_exactly() -> None:
    paths = longest_paths([(0, 1, 3)], [0, 3], keep_ties=True)

    assert paths.setters == [None, 0]
    assert paths.ties == {1}


def test_an_extra_bound_is_relaxed_with_the_edges_until_nothing_moves() -> None:
    rounds = []

    def cap_first(values: list[int]) -> bool:
        rounds.append(list(values))
        moved = values[0] > 5
        values[0] = min(values[0], 5)
        return moved

    paths = longest_paths([(0, 1, 2)], [9, 20], backward=True, extra=cap_first)

    assert paths.values == [5, 20]
    assert len(rounds) == 2

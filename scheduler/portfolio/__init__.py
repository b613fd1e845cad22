"""Plan several projects together: shared people and equipment, priorities,
cross-project dependencies.

The projects are merged into one (task ids become "project/task"; resources
are shared by id and must be defined alike), each project's tasks released at
its own start. The objective weighs each project by its `priority`:

    minimise  sum_p priority_p * (100 * tardiness_p + finish_p)

(tardiness against the project's `deadline`, in working days): the terms
`project_tardiness` and `project_finish` of the one registry, weighted as
`domain.objectives.PORTFOLIO` (`scheduler.model.projects`), stated on the
plan as `PORTFOLIO_NAME` with their value on the validated plan; `optimal`
only when the search proved it. The search is
`decompose.search_by_groups`: a priority-weighted greedy plan first (feasible
in seconds, even for 2,000 tasks), then rounds that re-plan one or two whole
projects in a sub-model of their own (the rest fixed) while time remains.

Here belongs what makes many projects one problem and one plan many again:
merging them (`merge`), planning the merged project and stating its
objective (`plan`), and each project's own plan cut from it (`members`).
"""

from scheduler.portfolio.merge import CrossDependency, merge_projects
from scheduler.portfolio.plan import PortfolioPlan, plan_portfolio, portfolio_problem

__all__ = [
    "CrossDependency",
    "PortfolioPlan",
    "merge_projects",
    "plan_portfolio",
    "portfolio_problem",
]

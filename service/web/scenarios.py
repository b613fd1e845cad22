"""The scenario page: change durations, add a person like another, move the
deadline; see baseline and scenario side by side; a planner commits the
changes (recorded as one atomic set of change events)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from domain import Project, ValidationError
from domain.access import Role
from service.api.contract import redirect
from service.api.deps import ActorDep, PlanforgeDep
from service.api.security import PrincipalDep
from service.usecases import ForecastRequest, PlanRequest, WhatIf, Write
from service.web.gantt import forecast_markers, gantt_svg
from service.web.projectview import project_view
from service.web.render import ERRORS, page

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

ROWS = 4  # duration changes the form offers at once
SAMPLES = 2000
TIME_LIMIT = 5.0


@dataclass(frozen=True)
class ScenarioForm:
    """What the planner asked for, as typed (kept to refill the form)."""

    durations: list[tuple[str, str]]
    person_like: str = ""
    person_id: str = ""
    deadline: str = ""

    def changes(self, project: Project) -> list[dict[str, Any]]:
        """The scenario format's change list (`update_task`, `add_resource`)."""
        changes: list[dict[str, Any]] = []
        for number, (task_id, text) in enumerate(self.durations):
            if task_id and text.strip():
                duration = _whole(text, f"durations[{number}]")
                changes.append(
                    {"action": "update_task", "id": task_id, "duration": duration}
                )
        if self.person_like and self.person_id.strip():
            if self.person_like not in project.resource_index:
                raise ValidationError.at(
                    "person_like", f"no resource {self.person_like!r} in the project"
                )
            model = project.resource(self.person_like)
            added: dict[str, Any] = {
                "id": self.person_id.strip(),
                "capacity": model.capacity,
            }
            if model.skills:
                added["skills"] = dict(model.skills)
            changes.append({"action": "add_resource", **added})
        return changes

    @property
    def asked(self) -> bool:
        """Whether the form asks for anything at all."""
        typed = [text for _, text in self.durations] + [self.person_id, self.deadline]
        return any(text.strip() for text in typed)

    def moved_deadline(self) -> int | None:
        return _whole(self.deadline, "deadline") if self.deadline.strip() else None


def _whole(text: str, field: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValidationError.at(
            field, f"expected a whole number of working days, got {text!r}"
        ) from None
    if value < 0:
        raise ValidationError.at(field, "must be 0 or more working days")
    return value


@router.get("/ui/projects/{project_id}/scenarios", responses=ERRORS)
def scenario_page(
    request: Request,
    project_id: UUID,
    planforge: PlanforgeDep,
    principal: PrincipalDep,
    task: Annotated[list[str] | None, Query()] = None,
    duration: Annotated[list[str] | None, Query()] = None,
    person_like: str = "",
    person_id: str = "",
    deadline: str = "",
) -> HTMLResponse:
    """The form; with changes asked for, the scenario solved and simulated
    beside the baseline (planners only; nothing is recorded)."""
    view = project_view(planforge, project_id)
    rows = list(zip(task or [], duration or [], strict=False))
    rows += [("", "")] * max(ROWS - len(rows), 0)
    form = ScenarioForm(rows, person_like, person_id, deadline)
    role = principal.role_on(project_id)
    may_run = role is not None and role >= Role.PLANNER
    context: dict[str, Any] = {
        "view": view,
        "form": form,
        "tab": "scenarios",
        "may_run": may_run,
    }
    if not form.asked:
        return page(request, "scenarios.html", result=None, **context)
    if not may_run:
        message = f"{principal.name} may look, not run scenarios: that needs planner"
        return page(
            request, "scenarios.html", 403, result=None, error=message, **context
        )
    try:
        changes = form.changes(view.project)
        moved = form.moved_deadline()
        what_if = planforge.what_if(
            project_id,
            changes,
            PlanRequest(TIME_LIMIT),
            ForecastRequest(SAMPLES),
            moved,
        )
    except ValidationError as error:
        return page(
            request, "scenarios.html", 422, result=None, error=str(error), **context
        )
    result = {"version": what_if.version, **what_if.comparison.view}
    return page(
        request,
        "scenarios.html",
        result=result,
        gantts=_gantts(what_if),
        changes=changes,
        changes_json=json.dumps(changes),
        moved=moved,
        **context,
    )


def _gantts(what_if: WhatIf) -> dict[str, str]:
    """The scenario over the baseline (grey), and the baseline alone."""
    compared, view = what_if.comparison, what_if.comparison.view
    baseline = what_if.baseline.project
    gantts = {}
    if compared.scenario_plan.has_schedule:
        gantts["scenario"] = gantt_svg(
            what_if.scenario,
            compared.scenario_plan,
            compare=compared.baseline_plan,
            markers=forecast_markers(
                what_if.scenario, view["scenario"].get("forecast")
            ),
            id_prefix="scenario",
        )
    gantts["baseline"] = gantt_svg(
        baseline,
        compared.baseline_plan,
        markers=forecast_markers(baseline, view["baseline"].get("forecast")),
        id_prefix="baseline",
    )
    return gantts


@router.post(
    "/ui/projects/{project_id}/scenarios/commit",
    status_code=303,
    response_class=RedirectResponse,
    responses={
        **redirect("recorded: to the project's page at its new version"),
        **ERRORS,
        409: {"description": "the project moved on since the scenario was run"},
    },
)
def commit_scenario(
    project_id: UUID,
    planforge: PlanforgeDep,
    actor: ActorDep,
    changes: Annotated[str, Form(min_length=1)],
    version: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Record the scenario's changes as one atomic set (409 if the project
    changed since the scenario was run), then show the project."""
    try:
        parsed = json.loads(changes)
    except ValueError:
        raise ValidationError.at(
            "changes", "expected the scenario's JSON change list"
        ) from None
    state = planforge.apply_changes(
        project_id, parsed, actor, version, Write(reason or "scenario committed")
    )
    return RedirectResponse(
        f"/ui/projects/{project_id}?version={state.version}", status_code=303
    )


@router.post(
    "/ui/projects/{project_id}/scenarios/deadline",
    status_code=303,
    response_class=RedirectResponse,
    responses={
        **redirect("recorded: to the project's page at its new version"),
        **ERRORS,
        409: {"description": "the project moved on since the scenario was run"},
    },
)
def commit_deadline(
    project_id: UUID,
    planforge: PlanforgeDep,
    actor: ActorDep,
    deadline: Annotated[int, Form(ge=0)],
    version: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Move the project's deadline (one ProjectFieldChanged event; 409 if the
    project changed since the scenario was run), then show the project."""
    state = planforge.change_fields(
        project_id,
        {"deadline": deadline},
        actor,
        version,
        Write(reason or "deadline moved by a scenario"),
    )
    return RedirectResponse(
        f"/ui/projects/{project_id}?version={state.version}", status_code=303
    )

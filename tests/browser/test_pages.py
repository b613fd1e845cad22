"""Every page in Chromium at 1366x768: no console error, no request to another
host, no sideways scrolling of the page; the Gantt's hooks match the plan; the
scenario page shows a changed duration's new finish; keyboard use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pytest

from service.usecases import ForecastRequest, PlanRequest
from tests.browser.conftest import SCREENSHOTS, Site

PROJECT_PAGES = ("", "/forecast", "/resources", "/scenarios", "/history")


@dataclass
class Watched:
    """A page with what it logged and fetched."""

    page: Any
    problems: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)


def watch(browser: Any, token: str | None) -> Iterator[Watched]:
    """A 1366x768 page, sending `token` as a bearer credential if given."""
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, extra_http_headers=headers
    )
    page = context.new_page()
    seen = Watched(page)
    page.on(
        "console",
        lambda m: (
            seen.problems.append(m.text) if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: seen.problems.append(str(error)))
    page.on("request", lambda request: seen.hosts.add(urlsplit(request.url).netloc))
    yield seen
    context.close()


@pytest.fixture
def watched(browser: Any, site: Site) -> Iterator[Watched]:
    yield from watch(browser, site.admin)


@pytest.fixture
def person(browser: Any) -> Iterator[Watched]:
    """A browser with no credential: it signs in on the login page."""
    yield from watch(browser, None)


@pytest.fixture
def viewer(browser: Any, site: Site) -> Iterator[Watched]:
    yield from watch(browser, site.viewer)


def pages(site: Site) -> list[tuple[str, str]]:
    named = [("portfolio", "/ui/"), ("resources", "/ui/resources")]
    for label, project in (("launch", site.launch), ("big", site.big)):
        for suffix in PROJECT_PAGES:
            name = f"{label}-{suffix.strip('/') or 'gantt'}"
            named.append((name, f"/ui/projects/{project}{suffix}"))
    named.append(("big-gantt-month", f"/ui/projects/{site.big}?zoom=month"))
    return named


def test_every_page_loads_clean_and_stays_on_this_host(
    site: Site, watched: Watched
) -> None:
    host = urlsplit(site.url).netloc
    for name, path in pages(site):
        watched.open(site.url + path)
        watched.shoot(name)
        assert watched.problems == [], f"{path}: {watched.problems}"
        assert watched.hosts <= {host}, f"{path} asked {watched.hosts - {host}}"
        width = watched.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"{path} scrolls sideways ({width} px)"


@pytest.mark.parametrize("which", ["launch", "big"])
def test_gantt_marks_one_bar_per_task_and_exactly_the_critical_ones(
    site: Site, watched: Watched, which: str
) -> None:
    project_id: UUID = getattr(site, which)
    baseline = site.planforge.baseline(project_id)
    assert baseline is not None
    watched.open(f"{site.url}/ui/projects/{project_id}")
    bars = watched.page.locator("svg.gantt [data-task-id]")
    ids = bars.evaluate_all("nodes => nodes.map(n => n.dataset.taskId)")
    assert sorted(ids) == sorted(t.task_id for t in baseline.plan.tasks)
    critical = watched.page.locator('svg.gantt [data-critical="true"]')
    marked = critical.evaluate_all("nodes => nodes.map(n => n.dataset.taskId)")
    assert sorted(marked) == sorted(
        t.task_id for t in baseline.plan.tasks if t.critical
    )


def test_infeasible_proposal_shows_conflicts_beside_the_baseline(
    site: Site, watched: Watched
) -> None:
    watched.open(f"{site.url}/ui/projects/{site.launch}")
    alert = watched.page.get_by_role("alert")
    assert "Plan infeasible: not drawn" in alert.inner_text()
    assert "pinned to start on day 1" in alert.inner_text()
    assert watched.page.locator("svg.gantt [data-task-id]").count() == 45


def test_scenario_changes_a_duration_and_shows_the_new_finish(
    site: Site, watched: Watched
) -> None:
    """Frontend features (critical) 16 -> 20 days, deadline moved to day 150:
    the launch's people are also booked by the EU launch, so the re-plan
    needs more room than the committed baseline had."""
    baseline = site.planforge.baseline(site.launch)
    assert baseline is not None
    watched.open(f"{site.url}/ui/projects/{site.launch}/scenarios")
    page = watched.page
    page.locator("select[name=task]").first.select_option("frontend_features")
    page.locator("input[name=duration]").first.fill("20")
    page.locator("input[name=deadline]").fill("150")
    with page.expect_navigation():
        page.get_by_role("button", name="Run scenario").click()
    watched.shoot("launch-scenario-result")
    shown = page.locator('[data-side="scenario-finish"]').inner_text()
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d) \(day (\d+)\)", shown)
    assert match, shown
    scenario = site.planforge.get_project(site.launch).project
    finish_date, finish = match.group(1), int(match.group(2))
    assert str(scenario.finish_date(finish)) == finish_date
    assert finish != baseline.plan.makespan
    old = f"(day {baseline.plan.makespan})"
    assert old in page.locator('[data-side="baseline-finish"]').inner_text()
    changes = [{"action": "update_task", "id": "frontend_features", "duration": 20}]
    again = site.planforge.what_if(
        site.launch, changes, PlanRequest(5), ForecastRequest(100), 150
    ).comparison
    status = page.locator("#comparison tbody tr").first.inner_text()
    if again.scenario_plan.status.value == "optimal" and "optimal" in status:
        assert again.scenario_plan.makespan == finish  # the optimum is unique
    assert watched.problems == []


def test_tables_sort_and_controls_work_from_the_keyboard(
    site: Site, watched: Watched
) -> None:
    watched.open(f"{site.url}/ui/")
    page = watched.page
    reached = []
    for _ in range(14):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Committed (days)":
            break
    assert reached[-1] == "Committed (days)", reached
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name="Committed (days)")
    assert button.get_attribute("aria-sort") == "ascending"
    watched.open(f"{site.url}/ui/projects/{site.launch}")
    page.locator("input[name=zoom][value=month]").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Show").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "zoom=month" in page.url


def test_load_shows_every_week_and_overbooking_across_projects(
    site: Site, watched: Watched
) -> None:
    watched.open(f"{site.url}/ui/resources")
    cells = watched.page.locator("td[data-load]").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.resource, n.dataset.week,"
        " +n.dataset.load, +n.dataset.available, n.classList.contains('over')])"
    )
    weeks = sorted({week for _, week, *_ in cells})
    assert len(weeks) >= 15 + 4  # the launch's 15 weeks, the EU launch 4 later
    over = [cell for cell in cells if cell[4]]
    assert over, "two launches sharing people overbook someone"
    assert all(load > available for _, _, load, available, _ in over)
    assert all(not flag for *_, load, available, flag in cells if load <= available)


def test_sign_in_run_a_scenario_and_commit_it_with_the_session(
    site: Site, person: Watched
) -> None:
    page = person.page
    person.open(f"{site.url}/ui/projects/{site.launch_eu}/scenarios")
    assert "/ui/login" in page.url
    page.get_by_label("Token").fill(site.planner)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/ui/projects/{site.launch_eu}/scenarios")
    before = site.planforge.get_project(site.launch_eu).version
    page.locator("select[name=task]").first.select_option("press_kit")
    page.locator("input[name=duration]").first.fill("6")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_load_state("networkidle")
    with page.expect_navigation(url=f"**/ui/projects/{site.launch_eu}?version=*"):
        page.get_by_role("button", name="Commit as 1 change").click()
    person.shoot("launch-eu-committed")
    after = site.planforge.get_project(site.launch_eu)
    assert after.version == before + 1
    assert after.project.task("press_kit").duration == 6
    assert person.problems == []


def test_a_viewer_sees_but_does_not_act(site: Site, viewer: Watched) -> None:
    viewer.open(f"{site.url}/ui/")
    names = viewer.page.locator("#portfolio tbody a").all_inner_texts()
    assert names == ["Product launch 2027"]
    viewer.open(f"{site.url}/ui/projects/{site.launch}/scenarios")
    assert viewer.page.get_by_role("button", name="Run scenario").is_disabled()
    response = viewer.page.goto(
        f"{site.url}/ui/projects/{site.launch}/scenarios?task=press_kit&duration=6"
    )
    assert response is not None
    assert response.status == 403
    other = viewer.page.goto(f"{site.url}/ui/projects/{site.big}")
    assert other is not None
    assert other.status == 404
    assert viewer.page.get_by_role("heading", name="Not found").is_visible()


def test_a_split_task_is_drawn_in_parts_with_a_gap(
    site: Site, watched: Watched
) -> None:
    """Chromium hits the bar inside its two parts and not inside its pause."""
    planforge = site.planforge
    split = {"id": "pour", "duration": 5, "pauses": [{"after": 2, "days": 3}]}
    document = {"name": "Split slab", "start": "2027-01-04", "tasks": [split]}
    state = planforge.create_project(document, "seed")
    record = planforge.propose_plan(state.id, PlanRequest(2, workers=1), "seed")
    planforge.commit_plan(state.id, record.id, "seed", None)
    watched.open(f"{site.url}/ui/projects/{state.id}")
    page = watched.page
    bar = page.locator('svg.gantt rect[data-task-id="pour"]').bounding_box()
    gap = page.locator('svg.gantt [data-pause-of="pour"]')
    assert gap.get_attribute("data-days") == "3"
    pause = gap.bounding_box()
    assert bar is not None
    assert pause is not None
    y = bar["y"] + bar["height"] / 2
    hit = "([x, y]) => document.elementFromPoint(x, y)?.dataset?.taskId ?? null"
    points = (
        bar["x"] + 2,
        pause["x"] + pause["width"] / 2,
        bar["x"] + bar["width"] - 2,
    )
    assert [page.evaluate(hit, [x, y]) for x in points] == ["pour", None, "pour"]
    watched.shoot("split-gantt")
    assert watched.problems == []

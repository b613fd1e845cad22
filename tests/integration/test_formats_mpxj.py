"""Other tools' formats through MPXJ: the MSPDI sample is converted with MPXJ's
own writers (Primavera XER and PMXML, MPX, Planner) and read back by
planforge; what each format keeps is compared with the direct MSPDI import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from domain import Project
from formats.mpxj_read import read_with_mpxj
from formats.mspdi_read import read_mspdi

pytest.importorskip("jpype")
pytest.importorskip("mpxj")

SAMPLE = Path(__file__).parents[1] / "data" / "mspdi" / "sample1.xml"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample written by MPXJ's own writers in each format (a JVM in this
    test process, started from the main thread)."""
    import jpype
    import mpxj  # noqa: F401  (MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM()
    formats = jpype.JClass("org.mpxj.writer.FileFormat")
    writer = jpype.JClass("org.mpxj.writer.UniversalProjectWriter")
    source = jpype.JClass("org.mpxj.reader.UniversalProjectReader")().read(str(SAMPLE))
    folder = tmp_path_factory.mktemp("mpxj")
    files = {}
    for name, suffix in (("XER", ".xer"), ("PMXML", ".pmxml"), ("MPX", ".mpx")):
        files[name] = folder / f"sample1{suffix}"
        writer(getattr(formats, name)).write(source, str(files[name]))
    files["PLANNER"] = folder / "sample1.planner"
    writer(formats.PLANNER).write(source, str(files["PLANNER"]))
    return files


def leaves(project: Project) -> list[tuple[Any, ...]]:
    parents = {task.parent for task in project.tasks}
    return sorted(
        (t.name, t.duration, tuple(sorted(t.demands.values())), t.timing.constraint)
        for t in project.tasks
        if t.id not in parents
    )


def links(project: Project, with_lags: bool = True) -> list[tuple[Any, ...]]:
    names = {task.id: task.name for task in project.tasks}
    return sorted(
        (names[d.predecessor], names[d.successor], d.type.value)
        + ((d.lag,) if with_lags else ())
        for d in project.dependencies
    )


def outline(project: Project) -> list[tuple[str, str]]:
    names = {task.id: task.name for task in project.tasks}
    return sorted((t.name, names.get(t.parent, "")) for t in project.tasks)


DIRECT = read_mspdi(SAMPLE.read_bytes()).project


@pytest.mark.parametrize("name", ["PMXML", "MPX"])
def test_pmxml_and_mpx_keep_everything_the_direct_import_has(
    converted: dict[str, Path], name: str
) -> None:
    path = converted[name]
    imported = read_with_mpxj(path.read_bytes(), path.suffix)
    assert imported.report.format == f"mpxj:{name}"
    project = imported.project
    assert leaves(project) == leaves(DIRECT)
    assert links(project) == links(DIRECT)
    assert outline(project) == outline(DIRECT)


def test_xer_keeps_leaves_and_links_under_the_projects_wbs_root(
    converted: dict[str, Path],
) -> None:
    imported = read_with_mpxj(converted["XER"].read_bytes(), ".xer")
    project = imported.project
    assert imported.report.format == "mpxj:XER"
    assert leaves(project) == leaves(DIRECT)
    assert links(project) == links(DIRECT)
    roots = [t.name for t in project.tasks if not t.parent]
    assert roots == ["sample"]  # Primavera's project WBS node holds the outline


def test_planner_keeps_the_tasks_and_link_types(converted: dict[str, Path]) -> None:
    project = read_with_mpxj(converted["PLANNER"].read_bytes(), ".planner").project
    direct_names = {t.name for t in DIRECT.tasks}
    assert {t.name for t in project.tasks} == direct_names | {"sample"}
    assert links(project, with_lags=False) == links(DIRECT, with_lags=False)


def test_a_file_mpxj_cannot_read_is_a_validation_error() -> None:
    from domain import ValidationError

    with pytest.raises(ValidationError, match="file"):
        read_with_mpxj(b"not a schedule", ".mpp")


def test_mpxj_reads_our_export_back_unchanged() -> None:
    """An independent MSPDI reader (MPXJ's) gets the same schedule from the
    file planforge writes as planforge put in it."""
    from formats.mspdi_write import write_mspdi

    again = read_with_mpxj(write_mspdi(DIRECT), ".xml").project
    assert leaves(again) == leaves(DIRECT)
    assert links(again) == links(DIRECT)
    assert outline(again) == outline(DIRECT)


def test_split_tasks_keep_their_parts_through_mpxj() -> None:
    """MPXJ hands over a split task's parts (its timephased work): MS
    Project's split-task file and planforge's export of it read back with
    the same pauses."""
    from formats.mspdi_write import write_mspdi
    from scheduler import SolveOptions, solve

    data = Path(__file__).parents[1] / "data" / "mspdi" / "mspdisplittask.xml"
    direct = read_mspdi(data.read_bytes()).project
    pauses = {t.id: t.pauses for t in direct.tasks}
    again = read_with_mpxj(data.read_bytes(), ".xml").project
    assert {t.id: t.pauses for t in again.tasks} == pauses
    plan = solve(direct, SolveOptions(time_limit=2.0, workers=1, seed=0))
    exported = read_with_mpxj(write_mspdi(direct, plan), ".xml").project
    assert {t.id: t.pauses for t in exported.tasks} == pauses

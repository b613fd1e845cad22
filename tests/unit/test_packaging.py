"""What a wheel of planforge would hold, read as setuptools reads
`pyproject.toml`: every package of the source tree (a sub-package left out
installs a service that fails on its first import) and every data file a
package reads at run time (templates, static assets, the sample project)."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path, PurePosixPath

from setuptools.config.pyprojecttoml import read_configuration  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
ROOTS = ("domain", "eventstore", "formats", "scheduler", "simulation", "service")


def tracked_files() -> list[PurePosixPath]:
    listed = subprocess.run(
        ["git", "ls-files", *ROOTS], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    if not listed:  # not a git checkout (an unpacked sdist): the files on disk
        listed = [
            path.relative_to(ROOT).as_posix()
            for root in ROOTS
            for path in (ROOT / root).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    return [PurePosixPath(name) for name in listed]


def setuptools_config() -> dict[str, object]:
    with warnings.catch_warnings():  # [tool.setuptools] is "beta" in setuptools
        warnings.simplefilter("ignore")
        config = read_configuration(ROOT / "pyproject.toml")
    setuptools: dict[str, object] = config["tool"]["setuptools"]
    return setuptools


def packages_of_the_tree() -> set[str]:
    return {
        ".".join(path.parent.parts)
        for path in tracked_files()
        if path.name == "__init__.py"
    }


def data_files_left_out(package_data: dict[str, list[str]]) -> list[str]:
    """Files other than modules that no package-data pattern takes."""
    missing = []
    for path in tracked_files():
        if path.suffix == ".py":
            continue
        owners = [
            (PurePosixPath(*package.split(".")), pattern)
            for package, patterns in package_data.items()
            for pattern in patterns
        ]
        if not any(
            folder in path.parents and path.relative_to(folder).match(pattern)
            for folder, pattern in owners
        ):
            missing.append(str(path))
    return missing


def test_the_wheel_holds_every_package_and_data_file_of_the_source_tree() -> None:
    config = setuptools_config()
    shipped = config["packages"]
    package_data = config.get("package-data", {})
    assert isinstance(shipped, list)
    assert isinstance(package_data, dict)
    assert packages_of_the_tree() - set(shipped) == set()
    assert set(shipped) - packages_of_the_tree() == set()
    assert data_files_left_out(package_data) == []

"""A build after an edit does only the work the edit needs, and writes exactly what a build
from nothing would: every output byte for byte, what it says, and how it ends.

The differential test walks random sequences of the edits spec authors and implementers make
(a word of a statement, a new statement, a retitled clause, a new implementation tag, a
project-file setting, an undo), builds after each in one project folder that keeps its
cache, and compares with a build from nothing of a copy of the same inputs.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from spectrace.api import load_edition
from spectrace.outputs import ENTRIES
from spectrace.site.plan import NAVIGATION_IRPS
from spectrace.site.workspace import BUILDING
from tests.cli.test_cli import run
from tests.cli.test_structural_irp import IRP900
from tests.conftest import PROJECT_ROOT, load_benchmark

INPUTS = ("spectrace.toml", "specs", "src/smartmeter", "tests/meter", "trace/reviewed.json")
UP_TO_DATE = "up to date: no input changed since the last build, which said:"


def traced_project(folder: Path) -> Path:
    """Copy the repository's project with the code and tests its matrix traces."""
    for name in INPUTS:
        source, target = PROJECT_ROOT / name, folder / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return folder


def outputs(project: Path) -> dict[str, bytes]:
    """Every output file a reader sees (through the fixed names), by path."""
    found = {}
    for entry in ENTRIES:
        top = project / "build" / entry
        if top.is_file():
            found[entry] = top.read_bytes()
        for path in sorted(top.rglob("*")) if top.is_dir() else ():
            if path.is_file():
                found[path.relative_to(project / "build").as_posix()] = path.read_bytes()
    return found


def build_from_nothing(project: Path, scratch: Path):
    """Build a copy of ``project``'s inputs with no outputs and no cache."""
    shutil.rmtree(scratch, ignore_errors=True)
    for name in INPUTS:
        source, target = project / name, scratch / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    os.environ["SPECTRACE_NO_CACHE"] = "1"
    try:
        return run("build", cwd=scratch)
    finally:
        del os.environ["SPECTRACE_NO_CACHE"]


def said(result, project: Path | None = None) -> list[str]:
    """What a build said (paths in ``project`` as if it were the same folder)."""
    text = result.output.replace(str(project), "PROJECT") if project else result.output
    return [line for line in text.splitlines() if line != UP_TO_DATE]


def assert_built_as_from_nothing(project: Path, scratch: Path, what: str) -> None:
    """Build ``project`` (after the edit ``what``) and check it says, ends and writes exactly
    what a build from nothing of a copy of its inputs in ``scratch`` does."""
    again = run("build", cwd=project)
    cold = build_from_nothing(project, scratch)
    assert UP_TO_DATE not in again.output, what
    assert again.exit_code == cold.exit_code, what
    assert said(again, project) == said(cold, scratch), what
    mine, theirs = outputs(project), outputs(scratch)
    assert sorted(mine) == sorted(theirs), what
    assert [name for name in theirs if mine[name] != theirs[name]] == [], what


# Edits ---------------------------------------------------------------------------------------


def spec_files(project: Path) -> list[Path]:
    return sorted((project / "specs").glob("*/*/section-*.rst"))


def statement_lines(path: Path) -> list[int]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [i for i, line in enumerate(lines) if line.startswith(":st:`")]


def edit_lines(path: Path, change) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    change(lines)
    path.write_text("\n".join(lines), encoding="utf-8")


def reword(project: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in spec_files(project) if statement_lines(p)])
    line = rng.choice(statement_lines(path))

    def change(lines: list[str]) -> None:
        words = lines[line].split(" ")
        at = rng.randrange(2, len(words))
        words.insert(at, rng.choice(["always", "promptly", "securely"]))
        lines[line] = " ".join(words)

    edit_lines(path, change)
    return f"reworded {path.name}:{line + 1}"


def add_statement(project: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in spec_files(project) if statement_lines(p)])
    line = rng.choice(statement_lines(path))
    number = re.match(r":st:`(\w+)-([\d.]+)-", path.read_text().split("\n")[line])
    assert number
    ident = f"{number[1]}-{number[2]}-{rng.randrange(50, 99)}"

    def change(lines: list[str]) -> None:
        if ident not in "\n".join(lines):
            lines[line + 1 : line + 1] = ["", f":st:`{ident}` The Device shall log the Event."]

    edit_lines(path, change)
    return f"added {ident}"


def retitle(project: Path, rng: random.Random) -> str:
    path = rng.choice(spec_files(project))
    lines = path.read_text(encoding="utf-8").split("\n")
    underline = re.compile(r"([=\-~^\"'`])\1+")
    headings = [
        i
        for i in range(len(lines) - 1)
        if re.match(r"^\d+(\.\d+)* \S", lines[i]) and underline.fullmatch(lines[i + 1])
    ]
    at = rng.choice(headings)

    def change(lines: list[str]) -> None:
        lines[at] += " revised"
        lines[at + 1] = lines[at + 1][0] * len(lines[at])

    edit_lines(path, change)
    return f"retitled {lines[at]}"


def tag_code(project: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in spec_files(project) if statement_lines(p)])
    ident = re.search(r":st:`([^`]+)`", path.read_text())
    assert ident
    with (project / "src/smartmeter/meters.py").open("a", encoding="utf-8") as file:
        n = rng.randrange(10**6)
        file.write(f'\n\ndef added_{n}():\n    """implements: {ident[1]}"""\n')
    return f"tagged {ident[1]}"


def project_setting(project: Path, rng: random.Random) -> str:
    path = project / "spectrace.toml"
    term = rng.choice(["Load Limit Period", "Supply Period", "UTC"])
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"known-terms = \[.*\]", f'known-terms = ["{term}"]', text), "utf-8")
    return f"known term {term}"


def toggle_irp(project: Path, rng: random.Random) -> str:
    """List IRP900 (structural changes to SMETS) after IRP603, or stop listing it: every page
    of the amended edition moves to another folder."""
    (project / "specs/irps/IRP900.rst").write_text(IRP900, encoding="utf-8")
    path = project / "spectrace.toml"
    text = path.read_text(encoding="utf-8")
    listed = 'proposals = ["IRP603", "IRP900"]'
    if listed in text:
        path.write_text(text.replace(listed, 'proposals = ["IRP603"]', 1), encoding="utf-8")
        return "IRP900 no longer listed"
    path.write_text(text.replace('proposals = ["IRP603"]', listed, 1), encoding="utf-8")
    return "IRP900 listed"


EDITS = [reword, add_statement, retitle, tag_code, project_setting, toggle_irp]


# Tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_building_after_each_edit_writes_what_a_build_from_nothing_writes(
    tmp_path, seed, monkeypatch
):
    monkeypatch.setenv("CI", "1")  # recording a baseline would edit an input as a side effect
    rng = random.Random(seed)
    project = traced_project(tmp_path / "project")
    first = run("build", cwd=project)
    assert first.exit_code in (0, 1), first.output
    initial = {name: (project / name) for name in INPUTS}
    saved = tmp_path / "initial"
    for name, path in initial.items():
        copy = saved / name
        if path.is_dir():
            shutil.copytree(path, copy)
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, copy)
    edits = rng.sample(EDITS, len(EDITS))  # each edit once, in a random order, then undo all
    for edit in [*edits, None]:
        if edit is None:
            for name in INPUTS:
                path = project / name
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                source = saved / name
                if source.is_dir():
                    shutil.copytree(source, path)
                else:
                    shutil.copy(source, path)
            what = "undone"
        else:
            what = edit(project, rng)
        assert_built_as_from_nothing(project, tmp_path / "cold", what)


# Many proposals --------------------------------------------------------------------------------

SMETS_PROPOSALS = (
    'proposals = ["IRP603"]            # applied in this order; sources in specs/irps/'
)


def with_many_irps(project: Path, listed: int, unlisted: int, seed: int) -> list[str]:
    """Give ``project`` generated proposals against SMETS 4.2 (benchmarks/make_irps.py): the
    first ``listed`` applied after IRP603, ``unlisted`` more in specs/irps only; return all
    their names in order."""
    make_irps = load_benchmark("make_irps")
    base = load_edition(project / "specs/SMETS/4.2")
    count = listed + unlisted
    proposals = make_irps.make_irps(base, count, count + count // 2, seed=seed)
    make_irps.write_irps(proposals, project / "specs/irps")
    names = [p.irp for p in proposals]
    set_listed(project, names[:listed])
    return names


def listed_irps(project: Path) -> list[str]:
    text = (project / "spectrace.toml").read_text(encoding="utf-8")
    found = re.search(r'^\[documents\.SMETS\]\nedition = "4.2"\nproposals = \[(.*)\]', text, re.M)
    assert found
    return [name.strip().strip('"') for name in found[1].split(",")][1:]  # after IRP603


def set_listed(project: Path, names: list[str]) -> None:
    path = project / "spectrace.toml"
    text = re.sub(
        r'^(\[documents\.SMETS\]\nedition = "4.2"\n)proposals = .*$',
        lambda m: m[1] + "proposals = " + json.dumps(["IRP603", *names]),
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    path.write_text(text, encoding="utf-8")


def add_irp(project: Path, rng: random.Random, names: list[str]) -> str:
    listed = listed_irps(project)
    name = rng.choice([n for n in names if n not in listed] or names)
    set_listed(project, [n for n in names if n in listed or n == name])
    return f"{name} listed"


def append_irp(project: Path, rng: random.Random, names: list[str]) -> str:
    """List one more proposal after all the others: the amendment resumes from the run the
    last build kept (:mod:`spectrace.transforms.amend.prefix`) and applies that one."""
    listed = listed_irps(project)
    name = rng.choice([n for n in names if n not in listed] or names)
    set_listed(project, [*(n for n in listed if n != name), name])
    return f"{name} listed last"


def remove_irp(project: Path, rng: random.Random, names: list[str]) -> str:
    listed = listed_irps(project)
    name = rng.choice(listed)
    set_listed(project, [n for n in listed if n != name])
    return f"{name} no longer listed"


@pytest.mark.parametrize("seed", range(2))
def test_adding_or_removing_one_of_many_irps_writes_what_a_build_from_nothing_writes(
    tmp_path, seed, monkeypatch
):
    """Adding or removing one of many proposals moves no page (the amended edition is named
    by its base, ``4.2+proposals``), and crossing the number the navigation names changes
    every page; each build equals a build from nothing. The amendment resumes from the run
    an earlier build kept (with seed 1, every build keeps its own)."""
    monkeypatch.setenv("CI", "1")
    if seed == 1:
        monkeypatch.setattr("spectrace.transforms.amend.REPLAY", 1)
    rng = random.Random(seed)
    project = traced_project(tmp_path / "project")
    names = with_many_irps(project, NAVIGATION_IRPS + 1, 3, seed)
    first = run("build", cwd=project)
    assert first.exit_code in (0, 1), first.output
    site = project / "build" / "cache" / "site" / "html"
    assert (site / "SMETS" / "4.2+proposals" / "changes.html").is_file()
    assert (project / "build" / "cache" / "amend-SMETS.pickle").is_file()
    edits = [add_irp, remove_irp, remove_irp, add_irp, add_irp, reword]
    for edit in [*rng.sample(edits, len(edits)), append_irp, append_irp]:
        base_pages = {p: p.stat().st_mtime_ns for p in (site / "SMETS" / "4.2").glob("*.html")}
        before = listed_irps(project)
        what = edit(project, rng, names) if edit is not reword else reword(project, rng)
        assert_built_as_from_nothing(project, tmp_path / "cold", what)
        if edit is not reword and min(len(before), len(listed_irps(project))) > NAVIGATION_IRPS:
            # the base edition's pages show nothing of the proposals: not written again
            rewritten = [p.name for p, t in base_pages.items() if p.stat().st_mtime_ns != t]
            assert rewritten == [], what


def test_a_build_with_nothing_to_do_says_so_and_ends_as_the_last_one_did(tmp_path):
    project = traced_project(tmp_path)
    first = run("build", cwd=project)
    generation = os.readlink(project / "build" / "current")
    again = run("build", cwd=project)
    assert again.output.splitlines()[0] == UP_TO_DATE
    assert said(again) == said(first) and again.exit_code == first.exit_code
    assert os.readlink(project / "build" / "current") == generation  # nothing written
    forced = run("build", "--force", cwd=project)
    assert UP_TO_DATE not in forced.output
    assert os.readlink(project / "build" / "current") != generation


@pytest.mark.parametrize(
    "change",
    [
        "specs/SMETS/4.2/section-04.rst",
        "specs/irps/IRP603.rst",
        "spectrace.toml",
        "src/smartmeter/meters.py",
        "tests/meter/test_esme.py",
        "specs/SMETS/4.2/notes.txt",  # any file under the specs counts
    ],
)
def test_any_changed_input_means_a_build(tmp_path, change):
    project = traced_project(tmp_path)
    run("build", cwd=project)
    path = project / change
    with path.open("a", encoding="utf-8") as file:
        file.write("\n# an edit\n" if path.suffix in (".py", ".toml") else "\n")
    again = run("build", cwd=project)
    assert UP_TO_DATE not in again.output


def test_test_results_are_an_input(tmp_path):
    project = traced_project(tmp_path)
    run("build", cwd=project)
    (project / "build" / "junit.xml").write_text(
        '<testsuite><testcase classname="tests.meter.test_esme" name="test_x"/></testsuite>',
        encoding="utf-8",
    )
    assert UP_TO_DATE not in run("build", cwd=project).output
    assert UP_TO_DATE in run("build", cwd=project).output


def test_a_failed_build_with_nothing_to_do_fails_again_and_shows_its_errors(tmp_path):
    project = traced_project(tmp_path)
    section = project / "specs/SMETS/4.2/section-04.rst"
    section.write_text(
        section.read_text() + "\n:st:`SMETS-4.4.1-9` GSME shall meet the rules of Section 9.9.9.\n"
    )
    first = run("build", cwd=project)
    assert first.exit_code == 1
    again = run("-q", "build", cwd=project)
    assert again.exit_code == 1
    errors = [line for line in first.stderr.splitlines() if line.startswith("error")]
    errors = [line for line in errors if not line.endswith("[missing-input]")]  # tracing: -q
    assert errors and again.stderr.splitlines() == errors


def test_a_build_killed_while_sphinx_ran_is_followed_by_a_build_from_nothing(tmp_path):
    project = traced_project(tmp_path)
    run("build", cwd=project)
    section = project / "specs/SMETS/4.2/section-04.rst"
    section.write_text(section.read_text().replace("shall meet", "shall fully meet", 1))
    workspace = project / "build" / "cache" / "site"
    # what a kill leaves: the marker, and an environment that says the page is current
    (workspace / BUILDING).touch()
    (workspace / "sources" / "SMETS" / "4.2" / "section-04.rst").write_text(
        section.read_text(), encoding="utf-8"
    )
    run("build", cwd=project)
    cold = build_from_nothing(project, tmp_path / "cold")
    assert cold.exit_code in (0, 1)
    assert outputs(project) == outputs(tmp_path / "cold")
    assert not (workspace / BUILDING).exists()


def test_what_is_not_a_builds_own_file_in_the_kept_build_is_replaced_unread(tmp_path):
    project = traced_project(tmp_path)
    run("build", cwd=project)
    workspace = project / "build" / "cache" / "site"
    source = workspace / "sources" / "SMETS" / "4.2" / "section-04.rst"
    source.unlink()
    os.mkfifo(source)  # reading it would wait for ever
    section = project / "specs/SMETS/4.2/section-04.rst"
    section.write_text(section.read_text().replace("shall meet", "shall fully meet", 1))
    assert run("build", cwd=project).exit_code in (0, 1)
    assert source.is_file() and "shall fully meet" in source.read_text()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "html").mkdir(parents=True)  # a folder of the kept build's names: not cleared
    (elsewhere / "html" / "mine.txt").write_text("keep")
    shutil.rmtree(workspace)
    workspace.symlink_to(elsewhere)
    section.write_text(section.read_text().replace("fully", "wholly", 1))
    assert run("build", cwd=project).exit_code in (0, 1)
    assert [p.name for p in elsewhere.rglob("*")] == ["html", "mine.txt"]
    assert workspace.is_dir() and not workspace.is_symlink()


def test_an_irp_source_is_parsed_once_per_version_of_its_bytes(tmp_path, monkeypatch):
    import spectrace.api

    project = traced_project(tmp_path)
    parsed = []
    real = spectrace.api.load_proposal
    monkeypatch.setattr(spectrace.api, "load_proposal", lambda p, *a: parsed.append(p) or real(p))
    run("build", cwd=project)
    assert [p.name for p in parsed] == ["IRP603.rst"]
    section = project / "specs/SMETS/4.2/section-04.rst"
    section.write_text(section.read_text().replace("shall meet", "shall fully meet", 1))
    run("build", cwd=project)
    assert len(parsed) == 1  # from the cache
    irp = project / "specs/irps/IRP603.rst"
    irp.write_text(irp.read_text() + "\n")
    run("build", cwd=project)
    assert len(parsed) == 2

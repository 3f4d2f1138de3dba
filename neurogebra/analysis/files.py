"""Which files analysis reads: .ngb notebooks, Python files and Jupyter notebooks."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

SKIPPED_FOLDERS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache",
                   ".pytest_cache", ".cache", "build", "dist", "site-packages", ".ipynb_checkpoints"}
LANGUAGES = {".ngb": "ngb", ".py": "python", ".ipynb": "ipynb"}


def language_of(path_or_uri: str) -> str | None:
    return LANGUAGES.get(Path(path_or_uri.split("?")[0]).suffix.lower())


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files and folders to the .ngb, .py and .ipynb files in them, sorted; skips virtual environments, VCS
    folders and Jupyter's checkpoints."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_file():
            found.add(path)
            continue
        for candidate in path.rglob("*"):
            if candidate.suffix.lower() in LANGUAGES and candidate.is_file() and not any(
                    part in SKIPPED_FOLDERS or part.endswith(".egg-info")
                    for part in candidate.relative_to(path).parts[:-1]):
                found.add(candidate)
    return sorted(found)

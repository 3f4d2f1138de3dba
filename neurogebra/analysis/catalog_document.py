"""A catalog entry as a small read-only .ngb file, the target of go-to-definition on a catalog name. A file
rather than a virtual document, because not every client has those (Neovim has not):
`$XDG_CACHE_HOME/neurogebra/catalog/<name>.ngb` (`~/.cache` without XDG_CACHE_HOME), rewritten only when its
text changes (a new neurogebra version), mode read-only. Plain data only: the language server's own process,
which imports no SymPy, writes it.

    # gelu_tanh: activation (the neurogebra 0.1.0 catalog; a read-only copy)
    # GELU's tanh approximation (Hendrycks & Gimpel), as used by GPT-2.
    ...
    gelu_tanh(x) = x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from neurogebra import __version__
from neurogebra.analysis.model import Span
from neurogebra.catalog import ENTRIES, Entry, canonical_name
from neurogebra.syntax import MATH_SIGNATURES


@dataclass(frozen=True)
class CatalogDocument:
    path: Path
    text: str
    name_span: Span  # the entry's name on its definition line


def catalog_document(name: str, folder: Path | None = None) -> CatalogDocument | None:
    """The entry `name` (or an alias of it) written to its file in `folder` (the cache folder by default);
    None for a name that is not in the catalog. Raises OSError when the file cannot be written."""
    canonical = canonical_name(name)
    if canonical is None:
        return None
    text, name_span = entry_text(ENTRIES[canonical])
    path = (folder or cache_folder()) / f"{canonical}.ngb"
    write_read_only(path, text)
    return CatalogDocument(path, text, name_span)


def cache_folder() -> Path:
    """Where the entries are written (an XDG_CACHE_HOME that is not absolute is ignored, as the spec says)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "neurogebra" / "catalog"


def entry_text(entry: Entry) -> tuple[str, Span]:
    """The entry as .ngb text, and the span of its name on the line that defines it."""
    call = f"{entry.name}({', '.join(entry.variables)})"
    lines = [f"# {entry.name}: {entry.category} (the neurogebra {__version__} catalog; a read-only copy)",
             f"# {entry.description}", f"# Use: {entry.usage}"]
    lines += [f"# + {pro}" for pro in entry.pros] + [f"# - {con}" for con in entry.cons]
    if entry.aliases:
        lines.append(f"# Also called: {', '.join(entry.aliases)}")
    lines.append(f"# Values: {entry.value_range}")
    lines += [f"@domain {variable} in {domain}" for variable, domain in entry.domain.items()]
    if entry.params:
        defaults = ", ".join(f"{param} = {value:g}" for param, value in entry.params.items())
        lines.append(f"# {entry.name}({', '.join(entry.inputs)}) is {call} with {defaults}")
    if re.search(rf"\b{re.escape(entry.name)}\s*\(", entry.formula):  # the math function of the same name (tanh)
        lines.append(f"# {entry.name} is the math function: {MATH_SIGNATURES[entry.name].description}")
        lines.append(call)  # defining it as itself would be cyclic: evaluated instead
    else:
        lines.append(f"{call} = {entry.formula}")
    start = sum(len(line) + 1 for line in lines[:-1])
    return "\n".join(lines) + "\n", Span(start, start + len(entry.name))


def write_read_only(path: Path, text: str) -> None:
    """Write `text` to `path` unless it is there already; the file ends read-only. Written beside and moved into
    place, so a reader (or a second server) never sees half a file."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass  # missing or unreadable: written below
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o444)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise

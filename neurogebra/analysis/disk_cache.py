"""`neurogebra check`'s cache on disk, as ruff keeps one: a file's analysis is stored under a key made of its text,
its language, the settings and the checker itself (the source of this package and the versions of the libraries
it computes with), so a re-run over unchanged files computes nothing and imports no SymPy.

Entries are pickles, signed with a secret kept in the cache folder (made there, readable by its owner only): an entry
anyone else planted fails its signature and is never unpickled. The folder is chosen by whoever runs the checker
(--cache-dir, NEUROGEBRA_CACHE_DIR, else $XDG_CACHE_HOME/neurogebra or ~/.cache/neurogebra), never by a file in the
checked project. Entries of another version of the checker are removed when the folder is first used."""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import shutil
import stat
import sys
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from neurogebra.analysis.model import DocumentAnalysis, Settings

PACKAGE = Path(__file__).resolve().parents[1]
LIBRARIES = ("sympy", "mpmath", "numpy", "scipy")
SECRET = "secret.key"
MAC_BYTES = 32


@lru_cache(maxsize=1)
def checker_fingerprint() -> str:
    """What the results depend on besides the file and the settings: this package's code, Python, the libraries."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} absent".encode())
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(source.relative_to(PACKAGE)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def default_folder() -> Path:
    chosen = os.environ.get("NEUROGEBRA_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "neurogebra"


class DiskCache:
    """Analyses by key; `get` and `put` never raise for the cache's own troubles (a full disk, a folder someone
    else owns): the checker then runs as if there were no cache, and `problem` says why."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / checker_fingerprint()
        self.problem: str | None = None
        try:
            self.secret = self._secret()
            self.entries.mkdir(mode=0o700, exist_ok=True)
            for stale in folder.iterdir():
                if stale.is_dir() and stale != self.entries:
                    shutil.rmtree(stale, ignore_errors=True)
        except OSError as error:
            self.secret = b""
            self.problem = f"cache folder {folder} not used: {error.strerror or error}"

    def _secret(self) -> bytes:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.folder / SECRET
        if not path.exists():
            made = self.folder / f"{SECRET}.{os.getpid()}"
            descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(os.urandom(32))
            try:
                os.link(made, path)  # all at once: a process running beside this one reads the whole key or none
            except FileExistsError:
                pass
            finally:
                made.unlink()
        status = path.stat()
        if status.st_uid != os.getuid() or status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PermissionError(0, "its key is not private to you", str(path))
        return path.read_bytes()

    @staticmethod
    def key(text: str, language: str, settings: Settings, detail: bool) -> str:
        digest = hashlib.sha256(f"{language}\0{settings!r}\0{detail}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> DocumentAnalysis | None:
        if self.problem is not None:
            return None
        try:
            data = (self.entries / key).read_bytes()
        except OSError:
            return None
        mac, body = data[:MAC_BYTES], data[MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.digest(self.secret, body, "sha256")):
            return None
        analysis = pickle.loads(zlib.decompress(body))
        return analysis if isinstance(analysis, DocumentAnalysis) else None

    def put(self, key: str, analysis: DocumentAnalysis) -> None:
        if self.problem is not None:
            return
        body = zlib.compress(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL), 1)
        made = self.entries / f"{key}.{os.getpid()}"
        try:
            made.write_bytes(hmac.digest(self.secret, body, "sha256") + body)
            os.replace(made, self.entries / key)
        except OSError:
            made.unlink(missing_ok=True)

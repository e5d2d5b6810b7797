"""Where the project's four folders are, so no other module computes a path.

``Project.locate()`` picks the root in this order (first match wins):

1. an explicit ``root`` (the CLI's ``--root``);
2. the environment variable ``MISSIONS_KG_ROOT``;
3. a missions-kg checkout containing the current directory (a folder with ``ontology/``,
   ``data/`` and a ``pyproject.toml`` whose project name is ``missions-kg``) — so a contributor
   editing a checkout sees their edits even with a non-editable install;
4. the copy embedded in the installed wheel (``missions_kg/_project/``);
5. the checkout this package is imported from (an editable install has no embedded copy).

Kept free of rdflib: it is on the start-up path of every command.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError

ENV_ROOT = "MISSIONS_KG_ROOT"
ENV_CACHE = "MISSIONS_KG_CACHE"
FOLDERS = ("ontology", "data", "shapes", "queries")
_NAME_RE = re.compile(r'^\s*name\s*=\s*"missions-kg"\s*$', re.MULTILINE)


def _is_checkout(folder: Path) -> bool:
    """True if ``folder`` is a missions-kg source checkout (not any project with a data/)."""
    pyproject = folder / "pyproject.toml"
    if not ((folder / "ontology").is_dir() and (folder / "data").is_dir() and pyproject.is_file()):
        return False
    try:
        return bool(_NAME_RE.search(pyproject.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def _find_checkout(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if _is_checkout(folder):
            return folder
    return None


@dataclass(frozen=True)
class Project:
    """A project root holding ``ontology/ data/ shapes/ queries/``; ``found_by`` says why."""

    root: Path
    found_by: str = "explicit root"

    @classmethod
    def locate(cls, root: str | os.PathLike | None = None) -> Project:
        """Find the project (see the module docstring for the order) and check its folders."""
        if root is not None:
            return cls(Path(root).expanduser().resolve(), "--root").checked()
        if os.environ.get(ENV_ROOT):
            return cls(Path(os.environ[ENV_ROOT]).expanduser().resolve(), ENV_ROOT).checked()
        checkout = _find_checkout(Path.cwd())
        if checkout is not None:
            return cls(checkout.resolve(), "checkout around the current directory").checked()
        embedded = Path(__file__).resolve().parent / "_project"
        if embedded.is_dir():
            return cls(embedded, "copy embedded in the installed package").checked()
        source = _find_checkout(Path(__file__).resolve().parent)
        if source is not None:
            return cls(source, "checkout of the imported package (editable install)").checked()
        raise ProjectError(
            "no missions-kg project found",
            hint=f"pass --root PATH or set {ENV_ROOT} to a folder with ontology/ and data/",
        )

    def checked(self) -> Project:
        """Raise ProjectError naming the missing folders and what to do."""
        if not self.root.is_dir():
            raise ProjectError(f"project root {self.root} does not exist ({self.found_by})",
                               hint=f"check --root or {ENV_ROOT}")
        missing = [name for name in FOLDERS if not (self.root / name).is_dir()]
        if missing:
            raise ProjectError(
                f"project root {self.root} ({self.found_by}) has no "
                + ", ".join(f"{m}/" for m in missing),
                hint="point --root at a folder holding ontology/, data/, shapes/ and queries/",
            )
        return self

    # -- inputs -------------------------------------------------------------------------------

    def _glob(self, folder: str, pattern: str) -> list[Path]:
        return sorted(p for p in (self.root / folder).glob(pattern) if p.is_file())

    def ontology_files(self) -> list[Path]:
        """``ontology/*.ttl`` (all loaded into the ontology graph)."""
        return self._glob("ontology", "*.ttl")

    def data_files(self) -> list[Path]:
        """``data/*.trig`` (every triple inside a named source graph); other files are prose."""
        return self._glob("data", "*.trig")

    def shape_files(self) -> list[Path]:
        """``shapes/*.ttl`` (SHACL; not part of the dataset)."""
        return self._glob("shapes", "*.ttl")

    def query_files(self) -> list[Path]:
        """Stored queries: ``queries/**/*.rq`` except those under ``queries/checks/``."""
        checks = self.root / "queries" / "checks"
        return [p for p in self._glob("queries", "**/*.rq") if checks not in p.parents]

    def check_files(self) -> list[Path]:
        """``queries/checks/*-violation.rq``: SELECT queries that must return zero rows."""
        return self._glob("queries/checks", "*-violation.rq")

    def input_files(self) -> list[Path]:
        """Every file whose bytes determine the build (ontology + data), in a stable order."""
        return self.ontology_files() + self.data_files()

    def relative(self, path: Path) -> str:
        """``path`` relative to the root when inside it (for messages and cache keys)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- cache --------------------------------------------------------------------------------

    @property
    def cache_dir(self) -> Path:
        """``$MISSIONS_KG_CACHE``, else ``<root>/.cache/`` for a writable checkout, else
        ``$XDG_CACHE_HOME/missions-kg/<hash of root>`` (never write into site-packages).

        ``<root>/.cache`` is not used when it is a symlink: the build writes and prunes files
        in its cache folder, and must not do it wherever a link points (``.cache -> /etc``)."""
        if os.environ.get(ENV_CACHE):
            return Path(os.environ[ENV_CACHE]).expanduser().resolve()
        embedded = self.root.name == "_project" and self.root.parent.name == "missions_kg"
        local = self.root / ".cache"
        if not embedded and not local.is_symlink() and _writable(local):
            return local
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
        return base / "missions-kg" / digest


def _writable(folder: Path) -> bool:
    if folder.is_dir():
        return os.access(folder, os.W_OK)
    return os.access(folder.parent, os.W_OK)

"""The real-file corpus: configuration files from public projects, labelled by a written policy.

`benchmarks/corpus/real/<split>/` holds the files of one split (`tune` or `holdout`) and its
manifest, `labels.toml`: one `[[file]]` table per file with `name`, `project`, `source`
(`owner/repo:path@commit`), `format`, `secrets` (every secret in the file, exact substrings)
and optional `notes`. The labelling policy and the split rule are in `benchmarks/README.md`.

No detector logic here: loading, parsing, and the one rule that says whether a detected
string is a labelled secret. `secrets_corpus.py` scores with it; the corpus test checks it.
"""

from __future__ import annotations

import io
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import javaproperties
import yaml
from dotenv import dotenv_values

REAL_DIR = Path(__file__).resolve().parent / "corpus" / "real"
SPLITS = ("tune", "holdout")
FORMATS = ("yaml", "json", "toml", "env", "properties", "text")
# formats that parse into data for `find_secrets`; `text` is only ever scanned as text
DATA_FORMATS = frozenset(FORMATS) - {"text"}
MANIFEST = "labels.toml"


@dataclass(frozen=True, slots=True)
class RealFile:
    split: str
    name: str
    project: str
    source: str
    format: str
    secrets: tuple[str, ...]
    notes: str = ""
    path: Path = field(default=Path(), compare=False)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def manifest_entries(split: str) -> list[dict[str, Any]]:
    """The raw `[[file]]` tables of a split's manifest, in manifest order."""
    with (REAL_DIR / split / MANIFEST).open("rb") as f:
        entries: list[dict[str, Any]] = tomllib.load(f).get("file", [])
    return entries


def load_split(split: str) -> list[RealFile]:
    return [
        RealFile(
            split=split,
            name=e["name"],
            project=e.get("project", ""),
            source=e["source"],
            format=e["format"],
            secrets=tuple(e.get("secrets", ())),
            notes=e.get("notes", ""),
            path=REAL_DIR / split / e["name"],
        )
        for e in manifest_entries(split)
    ]


def parse(text: str, fmt: str) -> Any:
    """The data a format's parser makes of `text`: what `find_secrets` judges.

    YAML with several documents gives the list of documents (one document: that document);
    `.env` and `.properties` give a flat dict of strings.
    """
    if fmt == "yaml":
        docs = list(yaml.safe_load_all(text))
        return docs[0] if len(docs) == 1 else docs
    if fmt == "json":
        return json.loads(text)
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "env":
        return dict(dotenv_values(stream=io.StringIO(text)))
    if fmt == "properties":
        return javaproperties.loads(text)
    raise ValueError(f"{fmt!r} files are not parsed into data")


_QUOTES = "\"'`"


def matching_secret(found: str, secrets: tuple[str, ...]) -> str | None:
    """The labelled secret that `found` overlaps (one contains the other), else None.

    Surrounding quotes are ignored; an empty string overlaps nothing.
    """
    token = found.strip().strip(_QUOTES)
    if not token:
        return None
    for secret in secrets:
        if secret in token or token in secret:
            return secret
    return None

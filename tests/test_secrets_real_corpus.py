"""The real-file corpus (benchmarks/corpus/real) is well formed. Detector scores are not tested.

Every manifest entry names a file that exists, every file has an entry, each labelled secret
occurs in its file, each file parses with the parser its format names, and the splits keep
whole projects apart.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load_real_corpus() -> ModuleType:
    # by path: putting benchmarks/ on sys.path would shadow tests/secrets_corpus.py
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "real_corpus.py"
    spec = importlib.util.spec_from_file_location("real_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_corpus", module)
    spec.loader.exec_module(module)
    return module


rc = _load_real_corpus()
ENTRIES = [(split, e) for split in rc.SPLITS for e in rc.manifest_entries(split)]
SOURCE_RE = re.compile(r"^[\w.\-]+/[\w.\-]+:[^@\s]+@[0-9a-f]{40}$")


def _id(item: tuple[str, dict[str, object]]) -> str:
    return f"{item[0]}/{item[1]['name']}"


def test_every_file_has_exactly_one_entry() -> None:
    for split in rc.SPLITS:
        folder = rc.REAL_DIR / split
        on_disk = {p.name for p in folder.iterdir() if p.is_file() and p.name != rc.MANIFEST}
        names = [e["name"] for e in rc.manifest_entries(split)]
        assert len(names) == len(set(names)), f"{split}: a file is listed twice"
        assert set(names) == on_disk, f"{split}: manifest and folder differ"


def test_splits_keep_projects_apart() -> None:
    projects = {split: {e["project"] for e in rc.manifest_entries(split)} for split in rc.SPLITS}
    assert all(projects.values())
    assert not projects["tune"] & projects["holdout"]


@pytest.mark.parametrize("item", ENTRIES, ids=_id)
def test_entry_is_well_formed(item: tuple[str, dict[str, object]]) -> None:
    _, entry = item
    assert set(entry) <= {"name", "project", "source", "format", "secrets", "notes"}
    assert isinstance(entry["project"], str) and entry["project"]
    assert isinstance(entry["source"], str) and SOURCE_RE.match(entry["source"])
    assert entry["format"] in rc.FORMATS
    secrets = entry["secrets"]
    assert isinstance(secrets, list) and all(isinstance(s, str) and s for s in secrets)
    assert len(secrets) == len(set(secrets)), "a secret is listed twice"
    assert isinstance(entry.get("notes", ""), str)


@pytest.mark.parametrize("item", ENTRIES, ids=_id)
def test_labelled_secrets_occur_in_the_file(item: tuple[str, dict[str, object]]) -> None:
    split, entry = item
    text = (rc.REAL_DIR / split / str(entry["name"])).read_text(encoding="utf-8")
    for secret in entry["secrets"]:  # type: ignore[attr-defined]
        assert secret in text, f"a labelled secret of {len(secret)} chars is not in the file"


@pytest.mark.parametrize("item", ENTRIES, ids=_id)
def test_file_parses_with_its_format(
    item: tuple[str, dict[str, object]], caplog: pytest.LogCaptureFixture
) -> None:
    split, entry = item
    text = (rc.REAL_DIR / split / str(entry["name"])).read_text(encoding="utf-8")
    if entry["format"] == "text":
        assert text.strip()
        return
    with caplog.at_level(logging.WARNING):
        data = rc.parse(text, entry["format"])
    # python-dotenv logs, rather than raises, on a line it cannot parse
    assert not [r for r in caplog.records if "could not parse" in r.getMessage()]
    if entry["format"] != "env":  # a .env template may be all comments
        assert data, "parsed to nothing"


def test_matching_secret_overlaps_either_way() -> None:
    secrets = ("s3cret-value",)
    assert rc.matching_secret('"s3cret-value"', secrets) == "s3cret-value"
    assert rc.matching_secret("postgres://u:s3cret-value@h/db", secrets) == "s3cret-value"
    assert rc.matching_secret("s3cret", secrets) == "s3cret-value"
    assert rc.matching_secret("other", secrets) is None
    assert rc.matching_secret("''", secrets) is None

"""The README is a front door; generated pages under docs/ stay current."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import readme_examples  # noqa: E402

# Run time differs between runs; everything else in a result must be identical.
_VOLATILE = re.compile(r'"latencia_ms": \d+')


def _stable(text: str) -> str:
    return _VOLATILE.sub('"latencia_ms": 0', text)


def test_the_examples_page_is_what_the_handlers_produce_today() -> None:
    current = (ROOT / "docs" / "examples.md").read_text()
    assert _stable(readme_examples.render()) == _stable(current), (
        "docs/examples.md is stale: run `python deploy/readme_examples.py --write`"
    )


def test_the_readme_is_short_and_its_links_to_docs_resolve() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 400
    links = re.findall(r"\]\(((?:docs/)[^)#]+)", readme)
    assert links, "the README links to its reference pages"
    for link in links:
        assert (ROOT / link).exists(), link
    for page in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)", page.read_text()):
            assert (page.parent / target).resolve().exists(), f"{page.name} -> {target}"

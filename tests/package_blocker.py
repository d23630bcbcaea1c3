"""A pytest plugin (``-p tests.package_blocker``) making the packages named in
``SMARTCITY_BLOCK_PACKAGES`` (comma-separated top-level modules) unimportable, as on a QGIS
for Windows that lacks them."""

from __future__ import annotations

import os
import sys

BLOCKED = tuple(p.strip() for p in os.environ.get("SMARTCITY_BLOCK_PACKAGES", "").split(",") if p.strip())


class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if any(name == p or name.startswith(p + ".") for p in BLOCKED):
            raise ModuleNotFoundError(f"No module named {name!r} (made unimportable by the test)", name=name)
        return None


if BLOCKED:
    for loaded in [m for m in sys.modules if any(m == p or m.startswith(p + ".") for p in BLOCKED)]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, _Blocker())

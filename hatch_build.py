"""Build hook: the data bundle (src/bouncefix/datafiles.py), made when the package is
built so that a run never parses YAML or writes anything.

A wheel gets ``bouncefix/data/bundle.marshal``; an editable install (a checkout) gets
``data/bundle.marshal`` beside the data files, which git ignores. Either is used only
while the data files are exactly those it was built from.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class DataBundle(BuildHookInterface):  # type: ignore[misc]
    """Writes the data bundle."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        sys.path.insert(0, os.path.join(self.root, "src"))
        os.environ["BOUNCEFIX_DATA_DIR"] = os.path.join(self.root, "data")
        try:
            from bouncefix import datafiles

            if version == "editable":
                datafiles.build_bundle(os.path.join(self.root, "data"))
            else:
                path = datafiles.build_bundle(tempfile.mkdtemp(prefix="bouncefix-bundle-"))
                build_data["force_include"][path] = f"bouncefix/data/{datafiles.BUNDLE}"
        finally:
            sys.path.pop(0)
            os.environ.pop("BOUNCEFIX_DATA_DIR", None)

"""Locating and loading the YAML data files, with a parsed-data cache.

Installed, the files live inside the package (``bouncefix/data``, put there by hatchling's
force-include); in a checkout they are in the top-level ``data/`` folder. Parsing YAML
costs tens of milliseconds, so the parsed object is cached (``marshal``, the fastest
loader the standard library has) in the user's cache directory, keyed on the file's
length and CRC-32 (``zlib`` is built in; ``hashlib`` would cost more to import than the
cache saves); a read-only or missing cache directory just means no cache.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import Any

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
_CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"
_CACHE_VERSION = 1


class DataError(Exception):
    """A data file is missing or invalid; the message names the file and entry."""


def data_path(name: str) -> Path:
    """Path of a data file: the installed copy, else the checkout's."""
    override = os.environ.get("BOUNCEFIX_DATA_DIR")
    for folder in ([Path(override)] if override else []) + [_PACKAGE_DATA, _CHECKOUT_DATA]:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise DataError(f"data file {name} not found (looked in {_PACKAGE_DATA} and {_CHECKOUT_DATA})")


def rule_files() -> list[Path]:
    """Every rule file (``rules/*.yaml``), in name order."""
    folder = data_path("reasons.yaml").parent / "rules"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError(f"no rule files in {folder}")
    return files


def cache_dir() -> Path | None:
    """The user's cache directory for bouncefix, or None when caching is disabled."""
    if os.environ.get("BOUNCEFIX_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bouncefix"


def load_yaml(path: Path) -> Any:
    """Parse a YAML file (libyaml's C loader when available), through the cache."""
    raw = path.read_bytes()
    key = f"{_CACHE_VERSION}-{len(raw)}-{zlib.crc32(raw):08x}"
    folder = cache_dir()
    cached = folder / f"{path.stem}-{key}.marshal" if folder else None
    if cached is not None:
        try:
            with cached.open("rb") as handle:
                return marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = parse_yaml(raw, path.name)
    if cached is not None:
        _write_cache(cached, data)
    return data


def parse_yaml(raw: bytes, name: str) -> Any:
    """Parse YAML bytes, raising DataError with the file name on a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise DataError(f"{name}: invalid YAML: {error}") from None


def _write_cache(target: Path, data: Any) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = marshal.dumps(data)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, target)
    except (OSError, ValueError):
        return

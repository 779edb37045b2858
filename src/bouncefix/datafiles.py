"""Locating and loading the YAML data files, with a parsed-data cache.

Installed, the files live inside the package (``bouncefix/data``, put there by hatchling's
force-include); in a checkout they are in the top-level ``data/`` folder. Parsing YAML
costs tens of milliseconds, so the parsed object is cached (``marshal``, the fastest
loader the standard library has) in the user's cache directory, keyed on the file's
length and CRC-32 (``zlib`` is built in; ``hashlib`` would cost more to import than the
cache saves); a read-only or missing cache directory just means no cache.

This module is on the start-up path of ``lookup``: it uses ``os.path``, not ``pathlib``.
"""

from __future__ import annotations

import marshal
import os
import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DATA = os.path.join(_HERE, "data")
_CHECKOUT_DATA = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data")
_CACHE_VERSION = 1


class DataError(Exception):
    """A data file is missing or invalid; the message names the file and entry."""


def data_dir() -> str:
    """The folder holding the data files: the installed copy, else the checkout's."""
    override = os.environ.get("BOUNCEFIX_DATA_DIR")
    for folder in ([override] if override else []) + [_PACKAGE_DATA, _CHECKOUT_DATA]:
        if os.path.isfile(os.path.join(folder, "codes.yaml")):
            return folder
    raise DataError(f"data files not found (looked in {_PACKAGE_DATA} and {_CHECKOUT_DATA})")


def data_path(name: str) -> str:
    """Path of one data file."""
    path = os.path.join(data_dir(), name)
    if not os.path.isfile(path):
        raise DataError(f"data file {name} not found in {data_dir()}")
    return path


def rule_files() -> list[str]:
    """Every rule file (``rules/*.yaml``), in name order."""
    folder = os.path.join(data_dir(), "rules")
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
    except OSError:
        names = []
    if not names:
        raise DataError(f"no rule files in {folder}")
    return [os.path.join(folder, n) for n in names]


def cache_dir() -> str | None:
    """The user's cache directory for bouncefix, or None when caching is disabled."""
    if os.environ.get("BOUNCEFIX_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "bouncefix")


def load_yaml(path: str | os.PathLike[str]) -> Any:
    """Parse a YAML file (libyaml's C loader when available), through the cache."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    stem = os.path.splitext(os.path.basename(path))[0]
    key = f"{_CACHE_VERSION}-{len(raw)}-{zlib.crc32(raw):08x}"
    folder = cache_dir()
    cached = os.path.join(folder, f"{stem}-{key}.marshal") if folder else None
    if cached is not None:
        try:
            with open(cached, "rb") as handle:
                return marshal.loads(handle.read())  # load(handle) reads in tiny pieces
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = parse_yaml(raw, os.path.basename(path))
    if cached is not None:
        _write_cache(cached, data)
    return data


def load_derived(name: str, key: str) -> Any:
    """Data derived from the data files and cached under `name` for content `key`
    (None when absent); see :func:`store_derived`."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, f"{name}-{key}.marshal"), "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store_derived(name: str, key: str, data: Any) -> None:
    """Cache derived data (silently skipped when the cache directory is unusable)."""
    folder = cache_dir()
    if folder is not None:
        _write_cache(os.path.join(folder, f"{name}-{key}.marshal"), data)


def content_key(paths: list[str]) -> str:
    """A key for the combined content of `paths` (length and CRC-32)."""
    crc, size = 0, 0
    for path in paths:
        with open(path, "rb") as handle:
            raw = handle.read()
        crc, size = zlib.crc32(raw, crc), size + len(raw)
    return f"{_CACHE_VERSION}-{size}-{crc:08x}"


def parse_yaml(raw: bytes, name: str) -> Any:
    """Parse YAML bytes, raising DataError with the file name on a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)
    except yaml.YAMLError as error:
        raise DataError(f"{name}: invalid YAML: {error}") from None


def _write_cache(target: str, data: Any) -> None:
    try:
        payload = marshal.dumps(data)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, target)
        _prune(target)
    except (OSError, ValueError):
        return


def _prune(keep: str) -> None:
    """Remove cached versions of the same data file other than `keep`."""
    folder, name = os.path.split(keep)
    stem = name.rsplit("-", 3)[0]
    for other in os.listdir(folder):
        stale = other != name and other.startswith(stem + "-") and other.endswith(".marshal")
        if stale and other.count("-") == name.count("-"):
            try:  # noqa: SIM105 - contextlib would cost start-up time (fast lookup path)
                os.remove(os.path.join(folder, other))
            except OSError:
                pass

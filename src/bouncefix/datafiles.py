"""Locating and reading the YAML data files, or the bundle built from them.

Installed, the files live inside the package (``bouncefix/data``, put there by hatchling's
force-include); in a checkout they are in the top-level ``data/`` folder. Parsing YAML
(and deriving the rules' literal anchors from their patterns) costs more than a short
run does otherwise, so building the package also writes a bundle beside the data files
(``bundle.marshal``: every data file already parsed, the rules already validated with
their literal anchors, the table of provider rules that ``lookup`` compares codes with,
and the words the spelling correction knows, each part read and decoded only when first
asked for; hatch_build.py calls :func:`build_bundle`). A run reads the bundle when it
was built from exactly the data files beside it, by the code beside it (their names,
sizes and CRC-32) and parses the YAML otherwise, as after editing a data file or the
loader. Like Python's own bytecode cache, a start first compares the files' sizes and
modification times with those the bundle records, and reads the files for their CRC-32
only when those differ (as after an install, which stamps the files anew).
Nothing is written at run time. ``marshal`` reads it without importing anything (json
would import ``re``, which the start-up of ``lookup`` cannot afford); a bundle another
Python cannot read is ignored.

This module is on the start-up path of ``lookup``: it uses ``os.path``, not ``pathlib``.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DATA = os.path.join(_HERE, "data")
_CHECKOUT_DATA = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data")
BUNDLE = "bundle.marshal"
_BUNDLE_FORMAT = 4
_MAX_BUNDLE = 64 * 1024 * 1024


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
    """Path of one data file (``codes.yaml``, ``rules/generic.yaml``)."""
    path = os.path.join(data_dir(), name)
    if not os.path.isfile(path):
        raise DataError(f"data file {name} not found in {data_dir()}")
    return path


def rule_names() -> list[str]:
    """Every rule file (``rules/*.yaml``), in name order, as names for :func:`read`."""
    folder = os.path.join(data_dir(), "rules")
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
    except OSError:
        names = []
    if not names:
        raise DataError(f"no rule files in {folder}")
    return [f"rules/{n}" for n in names]


def data_names() -> list[str]:
    """Every data file the program reads, as names for :func:`read`."""
    return ["codes.yaml", "reasons.yaml", "codemodel.yaml", "vocabulary.yaml", "domains.yaml",
            *rule_names()]


def read(name: str) -> Any:
    """The parsed content of data file `name`: from the bundle when it matches the
    files, else parsed from the YAML now."""
    found = _part("files", name)
    if found is not None:
        return found
    path = data_path(name)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    return parse_yaml(raw, os.path.basename(path))


def bundled(name: str) -> Any:
    """What the bundle holds under `name` beyond the parsed files (the validated
    rules, ``rules.loader.built_data``), or None without a bundle."""
    return _part("built", name)


def _part(section: str, name: str) -> Any:
    """One part of the bundle, read from the file and decoded now; None when there is
    no bundle or the part cannot be read (the caller then derives it from the YAML)."""
    bundle = _bundle()
    where = bundle[section].get(name) if bundle is not None else None
    if where is None:
        return None
    try:
        offset, size = where
        with open(bundle["path"], "rb") as handle:
            handle.seek(bundle["start"] + offset)
            blob = handle.read(size)
        return marshal.loads(blob) if len(blob) == size else None
    except (OSError, ValueError, TypeError, EOFError):
        return None


def parse_yaml(raw: bytes, name: str) -> Any:
    """Parse YAML bytes, raising DataError with the file name on a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)
    except yaml.YAMLError as error:
        raise DataError(f"{name}: invalid YAML: {error}") from None


#: the code that derives the bundle's contents from the data files: part of its key, so
#: that an edited loader (in a checkout) never reads a bundle its old version made
_DERIVING_CODE = ("datafiles.py", "literals.py", "regex.py", "rules/loader.py",
                  "rules/prefilter.py", "rules/spelling.py", "catalogue/providers.py")


def source_stamps(names: list[str] | None = None) -> list[tuple[str, int, int]]:
    """Name, size and modification time (ns) of each file :func:`source_key` reads (a
    missing one as -1, -1). When they are what the bundle recorded, the files are taken
    to be those it was built from, as Python's bytecode cache takes its sources."""
    folder = data_dir()
    stamps = []
    for name, path in ([(name, os.path.join(folder, name)) for name in names or data_names()]
                       + [(f"code:{name}", os.path.join(_HERE, name)) for name in _DERIVING_CODE]):
        try:
            status = os.stat(path)
            stamps.append((name, status.st_size, status.st_mtime_ns))
        except OSError:
            stamps.append((name, -1, -1))
    return stamps


def source_key(names: list[str] | None = None) -> str:
    """Sizes and CRC-32 of the data files and of the code deriving the bundle from
    them: what a bundle must have been built from."""
    import zlib

    crc, size = 0, 0
    for name in names or data_names():
        with open(data_path(name), "rb") as handle:
            raw = handle.read()
        crc, size = zlib.crc32(name.encode() + b"\0" + raw, crc), size + len(raw)
    for name in _DERIVING_CODE:
        try:
            with open(os.path.join(_HERE, name), "rb") as handle:
                raw = handle.read()
        except OSError:  # installed without sources: the same at build and run time
            raw = b"-"
        crc = zlib.crc32(name.encode() + b"\0" + raw, crc)
    return f"{_BUNDLE_FORMAT}-{size}-{crc:08x}"


_LOADED: dict[str, Any] = {}  #: data folder -> its bundle or None, once per process


def _bundle() -> Any:
    """The bundle beside the data files if it was built from them, else None."""
    folder = data_dir()
    if folder not in _LOADED:
        _LOADED[folder] = _read_bundle(folder)
    return _LOADED[folder]


#: the bundle file: these bytes, the length of the header (8 bytes, little-endian), the
#: header (marshal: what it was built from, and where each part lies after it), the parts
_MAGIC = b"BFXB"


def _read_bundle(folder: str) -> Any:
    """The bundle's header, with the file's path and where its parts start, when it
    was built from the files beside it; else None."""
    path = os.path.join(folder, BUNDLE)
    try:
        with open(path, "rb") as handle:
            lead = handle.read(12)
            size = int.from_bytes(lead[4:], "little")
            if lead[:4] != _MAGIC or len(lead) != 12 or size > _MAX_BUNDLE:
                return None
            raw = handle.read(size)
        bundle = marshal.loads(raw) if len(raw) == size else None
        if (isinstance(bundle, dict) and bundle.get("names") == data_names()
                and isinstance(bundle.get("files"), dict)
                and isinstance(bundle.get("built"), dict)
                and (bundle.get("stamps") == source_stamps(bundle["names"])
                     or bundle.get("key") == source_key(bundle["names"]))):
            return {**bundle, "path": path, "start": 12 + size}
    except (OSError, ValueError, TypeError, EOFError, DataError):
        pass
    return None


def build_bundle(folder: str) -> str:
    """Write the bundle for the current data files into `folder` (used when building
    the wheel) and return its path."""
    from .catalogue.providers import TABLE, provider_table
    from .rules import spelling
    from .rules.loader import built_data

    _LOADED.clear()
    _LOADED[data_dir()] = None  # parse the YAML itself, whatever bundle is around
    parts: list[bytes] = []
    end = 0  # where the next part starts

    def place(value: Any) -> tuple[int, int]:
        nonlocal end
        blob = marshal.dumps(_shared(value, {}))
        parts.append(blob)
        end += len(blob)
        return end - len(blob), len(blob)

    try:
        names = data_names()
        header = {
            "format": _BUNDLE_FORMAT,
            "names": names,
            "key": source_key(names),
            "stamps": source_stamps(names),
            # each part read and decoded when first asked for: lookup needs three
            "files": {name: place(read(name)) for name in names},
            "built": {key: place(value)
                      for key, value in {**built_data(), TABLE: provider_table(),
                                         spelling.BUNDLED: spelling.rule_words()}.items()},
        }
    finally:
        _LOADED.clear()
    head = marshal.dumps(header)
    path = os.path.join(folder, BUNDLE)
    with open(path, "wb") as handle:
        handle.write(_MAGIC + len(head).to_bytes(8, "little") + head + b"".join(parts))
    return path


def _shared(value: Any, seen: dict[Any, Any]) -> Any:
    """`value` with equal strings, and equal tuples of strings, made one object:
    marshal then writes each once and refers to it after (the rules repeat many words
    and anchors), so the bundle is smaller and faster to read."""
    if isinstance(value, str):
        return seen.setdefault(value, value)
    if isinstance(value, tuple):
        items = tuple(_shared(item, seen) for item in value)
        if all(isinstance(item, str) for item in items):
            return seen.setdefault(("tuple", *items), items)
        return items
    if isinstance(value, list):
        return [_shared(item, seen) for item in value]
    if isinstance(value, dict):
        return {_shared(key, seen): _shared(item, seen) for key, item in value.items()}
    return value

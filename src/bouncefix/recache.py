"""Compiled-regex cache across runs.

bouncefix carries several hundred regular expressions (parsers and rules). Python
compiles a regex in pure Python (parse, then code generation), which for this many
patterns costs more than everything else a short run does. The compiler's output is
plain data: a list of opcodes plus group tables. This module keeps that data in a cache
file (``marshal``) keyed on the exact interpreter version and the regex engine's MAGIC
number, and rebuilds pattern objects from it with ``_sre.compile``, the same call
``re.compile`` ends with. Anything unexpected (another Python, a read-only cache, an
internal API that changed) falls back to plain ``re.compile``; correctness never depends
on the cache.
"""

from __future__ import annotations

import array
import atexit
import marshal
import os
import re
import sys
from typing import Any, overload

from .datafiles import cache_dir

try:  # the internals this relies on; absent or different -> plain re.compile
    import _sre  # type: ignore[import-not-found]

    if sys.version_info >= (3, 11):
        from re import _compiler as _sre_compiler
        from re import _constants as _sre_constants
        from re import _parser as _sre_parser
    else:  # pragma: no cover - Python 3.10
        import sre_compile as _sre_compiler
        import sre_constants as _sre_constants
        import sre_parse as _sre_parser
    _MAGIC = str(_sre_constants.MAGIC)
    _USABLE = hasattr(_sre, "compile") and hasattr(_sre_compiler, "_code")
except (ImportError, AttributeError):  # pragma: no cover
    _USABLE = False
    _MAGIC = ""

#: array type matching the engine's opcode width (SRE_CODE)
_CODE_TYPE = next((t for t in "IL" if array.array(t).itemsize == getattr(_sre, "CODESIZE", 4)), "I") \
    if _USABLE else "I"
MAX_ENTRIES = 20_000  #: past this the cache starts afresh (patterns that come and go)
_KEY = f"{sys.version}-{_MAGIC}".encode()
_entries: dict[str, Any] | None = None
_dirty = False


@overload
def compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...


@overload
def compile(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...


def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
    """``re.compile(pattern, flags)``, through the cross-run cache (str patterns)."""
    if not _USABLE or isinstance(pattern, bytes) or os.environ.get("BOUNCEFIX_NO_REGEX_CACHE"):
        return re.compile(pattern, flags)
    entries = _load()
    key = f"{int(flags)}:{pattern}"
    entry = entries.get(key)
    if entry is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = entry
            program = array.array(_CODE_TYPE, code).tolist()
            return _sre.compile(pattern, final_flags, program, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
        except (TypeError, ValueError, RuntimeError):
            pass
    compiled, entry = _compile_with_entry(pattern, flags)
    if entry is not None:
        global _dirty
        entries[key] = entry
        _dirty = True
    return compiled


def is_cached(pattern: str, flags: int = 0) -> bool:
    """Whether compile(pattern, flags) would be served from the cache (or the cache
    is not in use, so there is nothing to learn)."""
    if not _USABLE or os.environ.get("BOUNCEFIX_NO_REGEX_CACHE"):
        return True
    return f"{int(flags)}:{pattern}" in _load()


def _compile_with_entry(pattern: str, flags: int) -> tuple[re.Pattern[str], Any]:
    """Compile as ``re`` does, keeping the data needed to rebuild the pattern."""
    try:
        tree = _sre_parser.parse(pattern, flags)
        code = _sre_compiler._code(tree, flags)  # type: ignore[attr-defined]
        groupindex = dict(tree.state.groupdict)
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | tree.state.flags), array.array(_CODE_TYPE, code).tobytes(),
                 int(tree.state.groups - 1), {str(k): int(v) for k, v in groupindex.items()},
                 tuple(indexgroup))
        compiled = _sre.compile(pattern, entry[0], list(code), *entry[2:])
        if compiled.pattern != pattern:  # pragma: no cover - internals changed
            raise ValueError
        return compiled, entry
    except re.error:
        raise
    except Exception:  # internals not as expected: plain compile, no caching
        return re.compile(pattern, flags), None


def _cache_file() -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    tag = f"{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(folder, f"regex-{tag}.marshal")


def _load() -> dict[str, Any]:
    global _entries
    if _entries is None:
        _entries = {}
        path = _cache_file()
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    stored = marshal.loads(handle.read())
                if isinstance(stored, tuple) and stored[0] == _KEY and len(stored[1]) < MAX_ENTRIES:
                    _entries = stored[1]
            except (OSError, EOFError, ValueError, TypeError, IndexError):
                _entries = {}
        atexit.register(save)
    return _entries


def save() -> None:
    """Write the cache back if this run compiled something new (also at exit)."""
    global _dirty
    if not _dirty or _entries is None:
        return
    path = _cache_file()
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        payload = marshal.dumps((_KEY, _entries))
        with open(tmp, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
        _dirty = False
    except (OSError, ValueError):
        return

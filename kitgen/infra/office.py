"""LibreOffice headless: convert documents (to PDF, or re-save as docx/xlsx as a person's editor would)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from ..errors import N_, ExternalToolError

# One call converts every file built (a few dozen forms) in well under a minute; this long, LibreOffice is hung
CONVERT_SECONDS = 300


def soffice() -> str | None:
    """Path of the LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


VERSION_TIMEOUT = 60  # seconds for `soffice --version` (a tenth of a second when LibreOffice is sound)
# The setting a LibreOffice profile keeps once LibreOffice of that version has started with it: LibreOffice takes a
# profile without it for its first start in that version and sets it up, about 0.7 s of CPU on every conversion in a
# new private profile; with it, a conversion's start costs about 0.3 s.
_LAST_VERSION = ('<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
                 '<value>{version}</value></prop></item>')
_REGISTRY = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
             '</oor:items>\n')


@lru_cache(maxsize=None)
def version(program: str) -> str | None:
    """The major.minor version of the LibreOffice `program` ('7.4'), None when it does not say."""
    try:
        said = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=VERSION_TIMEOUT).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\b(\d+)\.(\d+)\.\d+", said)
    return f"{found[1]}.{found[2]}" if found else None


def mark_started(profile: Path, program: str) -> None:
    """Record in a private LibreOffice profile (new or made by LibreOffice) that this version has started with it
    (see _LAST_VERSION); nothing when the version is unknown (LibreOffice then does its first start, as before)."""
    found = version(program)
    if not found:
        return
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True, exist_ok=True)
    text = registry.read_text(encoding="utf-8") if registry.exists() else _REGISTRY
    registry.write_text(text.replace("</oor:items>", _LAST_VERSION.format(version=found) + "\n</oor:items>", 1),
                        encoding="utf-8")


def convert(paths: list[Path], fmt: str, out_dir: Path, timeout: float = CONVERT_SECONDS) -> list[Path]:
    """Convert `paths` to `fmt` ('pdf', 'docx', 'xlsx') into `out_dir` with one LibreOffice call; returns the new files."""
    program = soffice()
    if not program:
        raise ExternalToolError(N_("LibreOffice (soffice) is not installed"),
                                hint=N_("install it (e.g. apt-get install libreoffice-writer libreoffice-calc) or "
                                        "build without --pdf"), code="no-libreoffice")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kitgen-lo-") as profile:
        # A private profile: conversions never collide with a LibreOffice the user has open.
        mark_started(Path(profile), program)
        cmd = [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", fmt, "--outdir", str(out_dir), *map(str, paths)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ExternalToolError(N_("LibreOffice took longer than {seconds} s converting to {format}"),
                                    seconds=round(timeout), format=fmt) from None
        except subprocess.CalledProcessError as e:
            raise ExternalToolError(N_("LibreOffice failed converting to {format}: {detail}"), format=fmt,
                                    detail=e.stderr.decode(errors="replace")[:200].strip()) from None
    out = [out_dir / (p.stem + "." + fmt.split(":")[0]) for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise ExternalToolError(N_("LibreOffice did not write {files}"), files=", ".join(missing))
    return out

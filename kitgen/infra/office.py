"""LibreOffice headless: convert documents (to PDF, or re-save as docx/xlsx as a person's editor would)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import N_, ExternalToolError

# One call converts every file built (a few dozen forms) in well under a minute; this long, LibreOffice is hung
CONVERT_SECONDS = 300


def soffice() -> str | None:
    """Path of the LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


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

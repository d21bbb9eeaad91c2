"""Where the CLI's text goes: results on stdout, warnings on stderr (hidden by -q), detail with -v, progress bars on a
terminal; tables that fit the width without breaking a key; a closed pipe ends the run quietly."""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NoReturn, Protocol

from .exitcodes import DONE

if TYPE_CHECKING:  # rich is imported when something is printed through it: `--help` and `--version` need none of it
    from rich.console import Console
    from rich.table import Table

PIPED_WIDTH = 80  # columns when stdout is not a terminal and COLUMNS is not set: what a pager or a mail reader shows
TEXT_MIN_WIDTH = 8  # a free-text column is never squeezed narrower than this (or its longest word, if shorter)
PROGRESS_AFTER = 1.0  # seconds: work shorter than this shows no progress bar (it would only flicker)
PROGRESS_ITEM = 40  # the end of the item beside the bar (a file's name and folder): the line stays one line

QUIET, NORMAL, VERBOSE = 0, 1, 2
_verbosity = [NORMAL]  # set once per run by the group's -q / -v (a list, so that tests' runs can set it again)


def set_verbosity(level: int) -> None:
    """-q (QUIET): no informational line on stderr; -v (VERBOSE): each item of long work named on stderr."""
    _verbosity[0] = level


def verbosity() -> int:
    return _verbosity[0]


@lru_cache(maxsize=None)
def _console_class() -> type[Console]:
    """rich's console, but a reader that stopped reading (`| head -1`) ends the run with 0, not rich's 1."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            closed_pipe()

    return _Console


def width_for(stream: object) -> int | None:
    """The terminal's width (rich measures it, COLUMNS first), or COLUMNS, or PIPED_WIDTH when not a terminal."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(stream, "isatty", None)
    return None if isatty and isatty() else PIPED_WIDTH


def console(*, err: bool = False) -> Console:
    """A console on stdout (or stderr) that never reads values as markup or emoji; colour only on a terminal, and not
    when NO_COLOR is set (rich reads it: no_color is left to its default). Tables fit its width either way; a line
    of text is wrapped between words on a terminal and left whole when piped (grep, tail see one line)."""
    stream = sys.stderr if err else sys.stdout
    out = _console_class()(file=stream, highlight=False, markup=False, emoji=False, width=width_for(stream))
    out.soft_wrap = not out.is_terminal  # a line is wrapped between words on a terminal, kept whole for a program
    return out


def info(text: str) -> None:
    """An informational line on stderr (a warning, a skipped file): -q hides it."""
    if verbosity() > QUIET:
        console(err=True).print(text)


def detail(text: str) -> None:
    """A line only -v shows, on stderr."""
    if verbosity() >= VERBOSE:
        console(err=True).print(text)


KEY, WORDS, PATH, TEXT = "key", "words", "path", "text"


@dataclass
class Column:
    """A table column: a KEY (id, date, number, code) is never wrapped; WORDS (names, flags naming ids) wrap between
    words only; a PATH breaks after a `/` only (a file's name stays whole); TEXT (titles, messages) wraps, then folds
    a word too long for its share of the width."""

    header: str
    kind: str = KEY
    justify: str = "left"


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


GAP = 2  # spaces between two columns: a blank divider and one space of padding


def _widest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def fitted_table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, width: int,
                 drop_empty: Sequence[str] = ()) -> Table:
    """A table `width` columns wide at most: no edges, two spaces between columns, each key column as wide as its
    widest value (so `AUD-2026-01-F1` or `2026-12-15` is never split), words kept whole, free text wrapped and folded;
    what the keys leave is shared among the other columns as their text needs it. When even the keys and the others'
    minimum do not fit, the table is that wide (print_table lets it run past the edge rather than cut an id).
    Columns named in `drop_empty` are left out when no row has a value there."""
    keep = [i for i, c in enumerate(columns)
            if c.header not in drop_empty or any(str(row[i]).strip() for row in rows)]
    cols = [columns[i] for i in keep]
    cells = [[str(row[i]) for i in keep] for row in rows]
    natural, least = [], []
    for j, col in enumerate(cols):
        values = [row[j] for row in cells]
        natural.append(max([len(col.header)] + [_widest_line(v) for v in values]))
        header, word = _longest_word(col.header), max([0] + [_longest_word(v) for v in values])
        if col.kind == PATH:
            word = max([0] + [len(part) for v in values for part in _path_parts(v)])
        if col.kind in (KEY, PATH):
            least.append(natural[-1] if col.kind == KEY else max(header, word))
        else:
            least.append(max(header, word if col.kind == WORDS else min(word, TEXT_MIN_WIDTH)))
    room = width - GAP * (len(cols) - 1)
    widths = list(natural)
    if sum(natural) > room:
        widths = list(least)
        spare, wants = room - sum(least), [n - m for n, m in zip(natural, least)]
        if spare > 0 and sum(wants):
            shares = [spare * w // sum(wants) for w in wants]
            for j in sorted(range(len(cols)), key=lambda j: -wants[j])[: spare - sum(shares)]:
                shares[j] += 1  # the columns that want most get the remainder of the division
            widths = [m + min(s, w) for m, s, w in zip(least, shares, wants)]
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0, 0, GAP - 1),
                  title_justify="left")
    for col, w in zip(cols, widths):
        table.add_column(col.header, width=w, no_wrap=col.kind == KEY, overflow="fold",
                         justify=col.justify)  # type: ignore[arg-type]
    for row in cells:
        table.add_row(*[_wrap_path(v, w) if col.kind == PATH else v for v, col, w in zip(row, cols, widths)])
    return table


def _path_parts(path: str) -> list[str]:
    """'records/asset/a.csv' -> ['records/', 'asset/', 'a.csv']: the pieces a path may be broken between."""
    parts = path.split("/")
    return [p + "/" for p in parts[:-1]] + parts[-1:]


def _wrap_path(path: str, width: int) -> str:
    """A path on as many lines as its column needs, each broken after a `/`."""
    lines = [""]
    for part in _path_parts(path):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


def print_table(out: Console, table: Table) -> None:
    """Print a table; when even its keys' minimum is wider than the console, its lines run past the edge (the terminal
    wraps them) rather than being cut, so that no id is lost."""
    out.print(table, crop=False, width=max(out.width, sum(c.width or 0 for c in table.columns)
                                             + GAP * (len(table.columns) - 1)))


class Progress(Protocol):
    """What a job's optional progress callback is given: the item at hand, how many are done out of how many."""

    def __call__(self, item: str, done: int | None = None, total: int | None = None) -> None: ...


@contextmanager
def progress(label: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr once work has lasted PROGRESS_AFTER, when stderr is a terminal (not with -q);
    with -v, each item named on its own line instead; otherwise nothing."""
    if verbosity() >= VERBOSE:
        yield lambda item, done=None, total=None: detail(f"{label}: {f'{done}/{total} ' if total else ''}{item}")
        return
    if verbosity() == QUIET or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    started = time.monotonic()
    bar: list[Bar] = []
    task: list[int] = []

    def report(item: str, done: int | None = None, total: int | None = None) -> None:
        if not bar:
            if time.monotonic() - started < PROGRESS_AFTER:
                return
            bar.append(Bar(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           TextColumn("{task.fields[item]}"), console=console(err=True), transient=True))
            bar[0].start()
            task.append(bar[0].add_task(label, total=total, item=""))
        bar[0].update(task[0], completed=done or 0, total=total, item=item[-PROGRESS_ITEM:])

    try:
        yield report
    finally:
        if bar:
            bar[0].stop()


def closed_pipe() -> NoReturn:
    """The output's reader has gone: point stdout at /dev/null (so that the flush at exit cannot fail) and end 0."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's captured stdout): nothing to redirect
        pass
    raise SystemExit(DONE)



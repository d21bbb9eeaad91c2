"""What a form people answer and send back exposes to `kitgen feedback`: its scale questions and their options, the
lists its free text is gathered in, and the answers read from one returned copy."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadbackError


@dataclass(frozen=True)
class Scale:
    """Options people choose one of, best first, and what they measure (a chart's title), in each language."""

    title: dict[str, str]
    options: dict[str, tuple[str, ...]]

    @property
    def size(self) -> int:
        """How many options there are to choose from."""
        return len(next(iter(self.options.values())))


@dataclass(frozen=True)
class ScaleQuestion:
    """A question answered by ticking one option of a scale."""

    number: int
    wording: dict[str, str]   # the question as the form asks it, per language
    short: dict[str, str]     # a few words that name it on a chart, per language
    scale: Scale


@dataclass(frozen=True)
class Column:
    """One column of a free-text list: its key in JSON, the answer field it shows, its header and its width."""

    key: str
    field: str
    header: dict[str, str]
    width: float              # in characters, in the report's sheet


@dataclass(frozen=True)
class TextList:
    """What a free-text question's answers become in the report: one list (a sheet, a JSON array)."""

    key: str                              # its name in JSON and the report ("errors")
    question: int
    columns: tuple[Column, ...]
    title: dict[str, str]                 # the sheet's title, per language
    counted: dict[str, tuple[str, str]]   # how a count of it reads, per language: (one, other)
    one_per_paragraph: bool = False       # paragraphs typed in its first column are separate rows
    remarks: bool = False                 # also holds what was typed beside a scale question's options


@dataclass(frozen=True)
class Survey:
    """The questions of an answered form, as `kitgen feedback` adds them up."""

    scales: tuple[ScaleQuestion, ...]
    lists: tuple[TextList, ...]


@dataclass
class Answers:
    """One returned form, read by meaning: what was ticked, typed, and what could not be read."""

    path: str
    lang: str
    scales: dict[int, int] = field(default_factory=dict)            # question -> option 1.. (1 = best)
    texts: dict[str, str] = field(default_factory=dict)             # answer field -> text, paragraphs on lines
    name: str = ""
    email: str = ""
    ambiguous: dict[int, int] = field(default_factory=dict)         # question -> options ticked (not counted)
    unrecognised: dict[int, str] = field(default_factory=dict)      # question -> text ticked that is no option
    unrecognised_marks: dict[int, tuple[str, int]] = field(default_factory=dict)  # question -> (mark, option beside)
    remarks: dict[int, str] = field(default_factory=dict)           # question -> text typed in a scale question
    recognised: bool = False                                        # identity gone: recognised by its questions
    modified: str = ""                                              # the document's own last-modified time
    digest: str = ""                                                # SHA-256 of the file's bytes

    @property
    def respondent(self) -> str:
        """Name and e-mail when given."""
        return " ".join(x for x in (self.name, f"<{self.email}>" if self.email else "") if x)

    @property
    def blank(self) -> bool:
        return not (self.scales or any(self.texts.values()) or self.ambiguous or self.unrecognised
                    or self.unrecognised_marks or self.remarks)


class NotAnswerable(ReadbackError):
    """Raised when a sane file is not a readable returned form: `code` says why (other-form, not-form, restructured),
    `details` fill the reason's wording (the message, an English msgid)."""

    def __init__(self, path: Path | str, code: str, details: dict[str, str], message: str) -> None:
        self.path, self.code, self.details = Path(path), code, details
        super().__init__(message, path, code=code, **details)

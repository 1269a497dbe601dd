"""Data errors: one ``Issue`` per problem, gathered into one ``DataError`` for the whole data set."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataError", "Issue"]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one data file, located as precisely as we can."""

    file: str
    """Path of the data file relative to the project root, e.g. ``scenarios/x.yaml``."""
    line: int | None
    """1-based line of the offending value, when the YAML parser told us."""
    path: str
    """Field path inside the file, e.g. ``ratings[2].category``; empty for the whole file."""
    expected: str
    """What the field should hold."""
    found: str
    """What it holds instead (a short repr)."""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} expected {self.expected}, found {self.found}"


class DataError(ValueError):
    """The data set is invalid; ``issues`` lists every problem found in one pass."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.path, i.expected))
        count = len(self.issues)
        head = f"{count} error{'s' if count != 1 else ''} in the data files:"
        super().__init__("\n".join([head, *(f"  {issue}" for issue in self.issues)]))

"""Errors raised by the selection library; the CLI maps them to exit codes 1 and 2."""

from __future__ import annotations


class SelectionError(Exception):
    """Base class of every error the selection library raises on purpose."""


class SelectionInputError(SelectionError):
    """Bad input: names the file, the 1-based line and the column where it was found."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class InfeasibleError(SelectionError):
    """No panel meets every quota; carries the human-readable explanation."""

    def __init__(self, explanation: str) -> None:
        self.explanation = explanation
        super().__init__(explanation)

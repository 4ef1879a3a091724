"""A progress bar for long commands: redrawn in place on a terminal, a line every tenth of the
way otherwise (logs, CI), so a long run always shows how far it is."""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO, label: str, total: int) -> None:
        self.stream, self.label, self.total, self.done = stream, label, total, 0
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())
        self._last_tenth = -1
        self._draw()

    def advance(self, count: int) -> None:
        self.done += count
        self._draw()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        share = self.done / self.total if self.total else 1.0
        tenth = int(share * 10)
        if not self.interactive and tenth == self._last_tenth:
            return
        self._last_tenth = tenth
        filled = int(share * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        line = f"{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,}"
        self.stream.write(f"\r{line}" if self.interactive else f"{line}\n")
        self.stream.flush()

"""A program in a real terminal (a tmux pane of a fixed size), and pictures of its screen: tmux's capture
with colours (ANSI escapes) turned into HTML, which headless Chromium renders to PNG."""
from __future__ import annotations

import html
import re
import subprocess
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

TMUX = Path("/usr/bin/tmux")
CHROMIUM = Path("/usr/bin/chromium")
# No status line (the pane gets every row), and keys reach the program at once.
TMUX_CONFIG = """\
set -g status off
set -s escape-time 0
set -g default-terminal tmux-256color
"""

# Neovim's default colour scheme (dark): what cells without a colour of their own show.
FOREGROUND = (0xE0, 0xE2, 0xEA)
BACKGROUND = (0x14, 0x16, 0x1B)
# xterm's 16 colours, for SGR 30-37, 90-97 and the first 16 of the 256.
ANSI_16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
           (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
           (255, 0, 255), (0, 255, 255), (255, 255, 255)]
FONT_PX = 15
LINE_PX = 18
CELL_EM = 0.6021  # DejaVu Sans Mono's advance width
PADDING_PX = 12
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


class Terminal:
    """`command` in a tmux server of its own (its socket in `folder`), `cols` × `rows` cells."""

    def __init__(self, folder: Path, command: list[str], cwd: Path, env: dict[str, str], cols: int, rows: int):
        self.cols, self.rows = cols, rows
        config = folder / "tmux.conf"
        config.write_text(TMUX_CONFIG)
        self._tmux = [str(TMUX), "-u", "-S", str(folder / "tmux.sock"), "-f", str(config)]  # -u: UTF-8
        env = {key: value for key, value in env.items() if key != "TMUX"}
        self._run("new-session", "-d", "-x", str(cols), "-y", str(rows), "-c", str(cwd), "--", *command, env=env)

    def _run(self, *args: str, env: dict[str, str] | None = None) -> str:
        return subprocess.run([*self._tmux, *args], env=env, capture_output=True, text=True, check=True,
                              timeout=30).stdout

    def keys(self, *keys: str) -> None:
        """tmux key names (`Enter`, `Escape`, `K`), each sent as one key press."""
        self._run("send-keys", *keys)

    def type(self, text: str) -> None:
        self._run("send-keys", "-l", text)

    def command(self, text: str) -> None:
        """An Ex command, typed as a user would."""
        self.keys("Escape")
        self.type(":" + text)
        self.keys("Enter")

    def clear_command_line(self) -> None:
        """Starts a command and leaves it, so that the command line shows nothing, not the last command typed;
        returns once Neovim has done both."""
        self.keys(":")
        self.wait_for("a command line", lambda text: self.last_row(text) == ":")
        self.keys("Escape")
        self.wait_for("an empty command line", lambda text: self.last_row(text) == "" and
                      self.cursor()[1] < self.rows - 1)

    def last_row(self, text: str) -> str:
        rows = text.splitlines()
        return rows[self.rows - 1].strip() if len(rows) == self.rows else ""

    def text(self) -> str:
        return self._run("capture-pane", "-p")

    def ansi(self) -> str:
        return self._run("capture-pane", "-p", "-e")

    def cursor(self) -> tuple[int, int]:
        column, row = self._run("display-message", "-p", "#{cursor_x} #{cursor_y}").split()
        return int(column), int(row)

    def wait_for(self, what: str, condition: Callable[[str], object], timeout_s: float = 60) -> str:
        """Polls the screen's text until `condition(text)` holds; returns that text. The timeout is only a hang
        guard (a busy machine is slow)."""
        deadline = time.monotonic() + timeout_s
        while True:
            text = self.text()
            if condition(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{text}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run([*self._tmux, "kill-server"], capture_output=True, timeout=30)


@dataclass(frozen=True)
class Style:
    fg: tuple[int, int, int] | None = None
    bg: tuple[int, int, int] | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    underline_color: tuple[int, int, int] | None = None
    strike: bool = False
    reverse: bool = False

    def css(self, cursor: bool = False) -> str:
        fg, bg = self.fg or FOREGROUND, self.bg or BACKGROUND
        if self.reverse != cursor:
            fg, bg = bg, fg
        rules = [f"color:#{bytes(fg).hex()}"]
        if bg != BACKGROUND:
            rules.append(f"background:#{bytes(bg).hex()}")
        if self.bold:
            rules.append("font-weight:bold")
        if self.italic:
            rules.append("font-style:italic")
        decorations = [name for name, on in (("underline", self.underline), ("line-through", self.strike)) if on]
        if decorations:
            rules.append("text-decoration:" + " ".join(decorations))
        if self.underline and self.underline_color:
            rules.append(f"text-decoration-color:#{bytes(self.underline_color).hex()}")
        return ";".join(rules)


def color_256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return ANSI_16[n]
    if n < 232:
        levels = [0, 95, 135, 175, 215, 255]
        n -= 16
        return levels[n // 36], levels[n // 6 % 6], levels[n % 6]
    gray = 8 + 10 * (n - 232)
    return gray, gray, gray


def apply_sgr(style: Style, parameters: str) -> Style:
    """The style after one SGR sequence: `1;38;2;r;g;b`, `38:2::r:g:b`, `58;2;r;g;b` (an underline's colour),
    `4:3` (an undercurl, drawn as an underline)."""
    codes = [part.split(":") for part in (parameters or "0").split(";")]
    index = 0
    while index < len(codes):
        code, *sub = codes[index]
        number = int(code or 0)
        index += 1
        if number in (38, 48, 58):
            if not sub:  # semicolon form: the colour's parts are the next codes
                kind = codes[index][0]
                sub = [kind, *(part[0] for part in codes[index + 1:index + (4 if kind == "2" else 2)])]
                index += len(sub)
            color = tuple(int(part) for part in sub[-3:]) if sub[0] == "2" else color_256(int(sub[1]))
            field = {38: "fg", 48: "bg", 58: "underline_color"}[number]
            style = replace(style, **{field: color})
        elif number == 0:
            style = Style()
        elif number in (1, 22):
            style = replace(style, bold=number == 1)
        elif number in (3, 23):
            style = replace(style, italic=number == 3)
        elif number in (4, 24):
            style = replace(style, underline=number == 4 and sub != ["0"])
        elif number in (7, 27):
            style = replace(style, reverse=number == 7)
        elif number in (9, 29):
            style = replace(style, strike=number == 9)
        elif 30 <= number <= 37 or 90 <= number <= 97:
            style = replace(style, fg=ANSI_16[number - 30 if number < 90 else number - 82])
        elif 40 <= number <= 47 or 100 <= number <= 107:
            style = replace(style, bg=ANSI_16[number - 40 if number < 100 else number - 92])
        elif number == 39:
            style = replace(style, fg=None)
        elif number == 49:
            style = replace(style, bg=None)
        elif number == 59:
            style = replace(style, underline_color=None)
    return style


def cells(ansi: str) -> list[list[tuple[str, Style]]]:
    """Each line's characters with their styles. tmux sends only changes, so a style runs on across lines."""
    style, lines = Style(), []
    for line in ansi.rstrip("\n").split("\n"):
        row, position = [], 0
        for match in SGR.finditer(line):
            row.extend((char, style) for char in line[position:match.start()])
            style = apply_sgr(style, match[1])
            position = match.end()
        row.extend((char, style) for char in line[position:])
        if any(char == "\x1b" for char, _ in row):
            raise ValueError(f"an escape sequence other than SGR in {line!r}")
        lines.append(row)
    return lines


def cell_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def to_html(ansi: str, cursor: tuple[int, int], cols: int, rows: int) -> str:
    """The screen as one <pre>, a block cursor at `cursor` (column, row). Characters outside ASCII sit in boxes
    one or two cells wide, so a fallback font's wider glyph cannot shift the rest of the line."""
    lines = cells(ansi)
    lines += [[] for _ in range(rows - len(lines))]
    out = []
    for row_index, row in enumerate(lines):
        if row_index == cursor[1]:  # a cursor past the line's end stands on a blank
            row = row + [(" ", Style())] * max(0, cursor[0] + 1 - sum(cell_width(char) for char, _ in row))
        runs: list[tuple[str, list[str]]] = []  # (css, pieces of html) of cells that look the same
        column = 0
        for char, style in row:
            css = style.css(cursor=(column, row_index) == cursor)
            text = html.escape(char)
            if not char.isascii():
                text = f'<span class="w{cell_width(char)}">{text}</span>'
            if runs and runs[-1][0] == css:
                runs[-1][1].append(text)
            else:
                runs.append((css, [text]))
            column += cell_width(char)
        out.extend(f'<span style="{css}">{"".join(pieces)}</span>' for css, pieces in runs)
        out.append("\n")
    width, height = window_size(cols, rows)
    background = f"#{bytes(BACKGROUND).hex()}"
    return f"""<!doctype html>
<meta charset="utf-8">
<style>
html, body {{ margin: 0; width: {width}px; height: {height}px; overflow: hidden; background: {background}; }}
pre {{ margin: 0; padding: {PADDING_PX}px; font: {FONT_PX}px/{LINE_PX}px "DejaVu Sans Mono", monospace; }}
.w1, .w2 {{ display: inline-block; text-align: center; }}
.w1 {{ width: 1ch; }}
.w2 {{ width: 2ch; }}
</style>
<pre>{"".join(out)}</pre>
"""


def window_size(cols: int, rows: int) -> tuple[int, int]:
    return round(cols * CELL_EM * FONT_PX) + 2 * PADDING_PX, rows * LINE_PX + 2 * PADDING_PX


def screenshot(terminal: Terminal, png: Path, scratch: Path) -> None:
    """The terminal's screen as it is now, as a PNG."""
    page = scratch / (png.stem + ".html")
    page.write_text(to_html(terminal.ansi(), terminal.cursor(), terminal.cols, terminal.rows), encoding="utf-8")
    width, height = window_size(terminal.cols, terminal.rows)
    png.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--force-device-scale-factor=1", "--no-first-run", "--disable-background-networking",
                    f"--user-data-dir={scratch / 'chromium'}", f"--screenshot={png}",
                    f"--window-size={width},{height}", page.as_uri()],
                   capture_output=True, check=True, timeout=120)

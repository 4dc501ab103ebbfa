"""Check the reports as a reader's browser sees them: links, anchors, images, console.

``python -m netter.report check --reports reports`` (``make check-report``) starts at
``reports/index.html`` and

1. crawls every HTML page reachable from it through relative links inside the reports
   folder, and checks that every ``href``, ``src``, ``srcset`` and CSS ``url()`` of every
   page names a file that exists there, and that a ``#fragment`` names an ``id`` (or
   ``<a name>``) of its target page.  The pages must be self-contained, so a link to the
   web (``https:``, ``mailto:``...), an absolute path, a ``file:`` URL or a path leaving
   the reports folder is a problem too; ``data:`` URIs are fine;
2. opens every crawled page in headless Chromium and checks that every image loaded
   (``complete`` and ``naturalWidth > 0``) and that nothing was logged as an error:
   ``console.error``, an uncaught exception, a resource that failed to load;
3. saves a screenshot of the home page (the whole page, 1280 CSS pixels wide).

How Chromium is driven
----------------------
No browser driver is installed with netter (no Selenium or Playwright, and neither
``websockets`` nor ``websocket-client`` for ``--remote-debugging-port``): Chromium is
started as ``chromium --headless --remote-debugging-pipe`` and spoken to in the DevTools
protocol over two pipes, the protocol's own transport for a parent process (the one
Puppeteer uses): JSON messages ended by a NUL byte, written to the browser's file
descriptor 3 and read from its descriptor 4 (``bash`` puts the pipes there).  This needs
only the standard library and no dependency, no network port (nothing to choose, nothing
another process can take, no ``DevToolsActivePort`` file to wait for) and gives what the
command line alone cannot: ``--screenshot`` and ``--dump-dom`` show neither whether an
image loaded nor what the console said, and ``--enable-logging`` writes console messages
to stderr mixed with the browser's own diagnostics, in a format that is not an
interface.  One browser opens every page in turn, waiting for each page's ``load`` event
(all its images fetched or failed) before reading them, so the whole check takes
seconds.

Examples
--------
>>> resolve_reference("netter1/index.html", "figures/os--km.png#top")
Reference(kind='file', path='netter1/figures/os--km.png', fragment='top')
>>> resolve_reference("netter1/index.html", "https://example.org/").kind
'external'
"""

from __future__ import annotations

import base64
import fcntl
import html.parser
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

#: Where the crawl starts, relative to the reports folder.
HOME = "index.html"

#: Names of Chromium's executable tried in turn (Debian: ``chromium``).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Width of the browser window and of the screenshot, in CSS pixels; the screenshot is as
#: tall as the page, up to :data:`SCREENSHOT_MAX_HEIGHT`.
WINDOW_WIDTH = 1280
WINDOW_HEIGHT = 900
SCREENSHOT_MAX_HEIGHT = 16000

#: Schemes that are part of the page itself (nothing is fetched).
INLINE_SCHEMES = ("data", "about", "blob")

_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
_PAGE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Reference:
    """What a link or source of a page points at.

    Attributes
    ----------
    kind : str
        ``file`` (a file of the reports folder; ``path`` is relative to it), ``self`` (the
        page itself: ``#id`` or an empty link), ``inline`` (a ``data:`` URI), ``external``
        (another site or scheme), ``absolute`` (a path from the root of the disk or site),
        ``outside`` (a relative path that leaves the reports folder).
    path : str
        The file, relative to the reports folder (POSIX), for ``file`` and ``self``.
    fragment : str
        The ``#fragment``, decoded, or ``""``.
    """

    kind: str
    path: str = ""
    fragment: str = ""


def resolve_reference(page: str, ref: str) -> Reference:
    """Resolve ``ref`` (an ``href``/``src`` value) of ``page`` (relative to the reports folder).

    Parameters
    ----------
    page : str
        The page holding the reference, a POSIX path relative to the reports folder.
    ref : str
        The attribute's value, as written (HTML entities already decoded).

    Returns
    -------
    Reference

    Examples
    --------
    >>> resolve_reference("netter1/notebooks/os.html", "../figures/a%20b.svg")
    Reference(kind='file', path='netter1/figures/a b.svg', fragment='')
    >>> resolve_reference("netter1/index.html", "#scorecard")
    Reference(kind='self', path='netter1/index.html', fragment='scorecard')
    >>> [resolve_reference("index.html", r).kind for r in
    ...  ("../x.html", "/etc/passwd", "file:///tmp/x", "mailto:a@b", "data:image/png;base64,")]
    ['outside', 'absolute', 'external', 'external', 'inline']
    """
    ref = ref.strip()
    parts = urlsplit(ref)
    fragment = unquote(parts.fragment)
    if parts.scheme:
        if parts.scheme.lower() in INLINE_SCHEMES:
            return Reference("inline")
        return Reference("external")
    if parts.netloc:                    # //host/path
        return Reference("external")
    if not parts.path:
        return Reference("self", page, fragment)
    if parts.path.startswith("/"):
        return Reference("absolute")
    resolved: list[str] = list(PurePosixPath(page).parent.parts)
    for part in unquote(parts.path).split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return Reference("outside")
            resolved.pop()
        else:
            resolved.append(part)
    if parts.path.endswith("/"):        # a folder: the browser would show its listing
        resolved.append(HOME)
    return Reference("file", "/".join(resolved), fragment)


@dataclass
class PageLinks:
    """The references and anchors of one HTML page.

    Attributes
    ----------
    references : list of (str, str, str)
        ``(tag, attribute, value)`` of every ``href``, ``src``, ``srcset`` candidate, other
        fetched attribute and CSS ``url()``, in page order.
    anchors : set of str
        Every ``id`` and ``<a name>``: what a ``#fragment`` may name.
    """

    references: list[tuple[str, str, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


class _LinkParser(html.parser.HTMLParser):
    #: Attributes whose value is one URL, whatever the element.
    URL_ATTRIBUTES = ("href", "src", "poster", "data", "action", "formaction", "background")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = PageLinks()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.links.anchors.add(value)
            elif name in self.URL_ATTRIBUTES and not (tag == "object" and name != "data"):
                self.links.references.append((tag, name, value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.references.append((tag, name, candidate.split()[0]))
            elif name == "style":
                self._css(tag, value)
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css("style", data)

    def _css(self, tag: str, css: str) -> None:
        for match in _CSS_URL.finditer(css):
            self.links.references.append((tag, "url()", match.group(2)))


def page_links(text: str) -> PageLinks:
    """The references and anchors of an HTML page's text.

    Examples
    --------
    >>> links = page_links('<h2 id="a">A</h2><a href="b.html#c">b</a>'
    ...                    '<img src="x.png" srcset="x.png 1x, y.png 2x">'
    ...                    '<style>div { background: url("z.svg") }</style>')
    >>> [value for _, _, value in links.references], sorted(links.anchors)
    (['b.html#c', 'x.png', 'x.png', 'y.png', 'z.svg'], ['a'])
    """
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.links


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the reports.

    Attributes
    ----------
    page : str
        The page where it is seen, relative to the reports folder.
    kind : str
        ``broken link``, ``missing anchor``, ``external link``, ``absolute link``,
        ``outside the reports``, ``unreadable page``, ``image not loaded``,
        ``console error``, ``page not loaded``.
    target : str
        The reference as written in the page, or what the browser names.
    detail : str
        What is wrong, in words.
    """

    page: str
    kind: str
    target: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.page}: {self.kind} {self.target!r}{detail}"


@dataclass
class Crawl:
    """What :func:`crawl` found.

    Attributes
    ----------
    pages : list of str
        The HTML pages reached from the home page (relative POSIX paths, home first).
    files : list of str
        Every other file of the reports folder that a page references and that exists.
    problems : list of Problem
        Broken, external, absolute and outside references, missing anchors.
    unlinked : list of str
        Files of the reports folder that no page reaches (not a problem: a note).
    """

    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)


def _is_page(path: str) -> bool:
    return path.lower().endswith(_PAGE_SUFFIXES)


def crawl(reports: str | os.PathLike, home: str = HOME, ignore: Iterable[str] = ()) -> Crawl:
    """Check every reference of every HTML page reachable from ``reports/home``.

    Parameters
    ----------
    reports : path
        The reports folder; every link must stay inside it.
    home : str
        The first page, relative to ``reports``.
    ignore : iterable of str
        Folders (relative to ``reports``) whose files are not listed as unlinked, such as
        the one the check writes its screenshot to.

    Returns
    -------
    Crawl
        The pages reached, the other files referenced, and the problems.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     _ = (Path(root) / "index.html").write_text('<a href="a.html#x">a</a>')
    ...     _ = (Path(root) / "a.html").write_text('<p id="y"><img src="gone.png">')
    ...     found = crawl(root)
    >>> found.pages, found.unlinked
    (['index.html', 'a.html'], [])
    >>> [f"{p.kind} {p.target}" for p in found.problems]
    ['broken link gone.png', 'missing anchor a.html#x']
    """
    root = Path(reports)
    found = Crawl()
    anchors: dict[str, set[str] | None] = {}     # page -> its anchors (None: unreadable)
    wanted: list[tuple[str, str, str, str]] = []  # (page, target, as written, fragment)
    files: set[str] = set()

    def read(page: str) -> set[str] | None:
        if page not in anchors:
            try:
                text = (root / page).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                found.problems.append(Problem(page, "unreadable page", page, str(err)))
                anchors[page] = None
                return None
            links = page_links(text)
            anchors[page] = links.anchors
            found.pages.append(page)
            for tag, _attribute, value in links.references:
                visit(page, tag, value)
        return anchors[page]

    def visit(page: str, tag: str, value: str) -> None:
        ref = resolve_reference(page, value)
        if ref.kind == "external":
            found.problems.append(Problem(page, "external link", value,
                                          "the reports must not load or link the web"))
        elif ref.kind == "absolute":
            found.problems.append(Problem(page, "absolute link", value,
                                          "use a path relative to the page"))
        elif ref.kind == "outside":
            found.problems.append(Problem(page, "outside the reports", value,
                                          "the path leaves the reports folder"))
        elif ref.kind in ("file", "self"):
            target = root / ref.path
            if not target.is_file():
                what = "no such folder page" if value.split("#")[0].endswith("/") \
                    else "no such file"
                found.problems.append(Problem(page, "broken link", value,
                                              f"{what} {ref.path}"))
                return
            if _is_page(ref.path):
                pending.append(ref.path)
                if ref.fragment:
                    wanted.append((page, ref.path, value, ref.fragment))
            else:
                files.add(ref.path)

    if not (root / home).is_file():
        found.problems.append(Problem(home, "broken link", home, f"no such file {root / home}"))
        return found
    pending = [home]
    while pending:
        read(pending.pop(0))
    for page, target, value, fragment in wanted:
        ids = read(target)
        if ids is not None and fragment not in ids:
            found.problems.append(Problem(page, "missing anchor", value,
                                          f"{target} has no id {fragment!r}"))
    found.files = sorted(files)
    reached = files | set(found.pages)
    skipped = tuple(PurePosixPath(folder).as_posix().rstrip("/") + "/" for folder in ignore)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and relative not in reached and not relative.startswith(skipped) \
                and not any(part.startswith(".") for part in path.relative_to(root).parts):
            found.unlinked.append(relative)
    return found


def find_chromium() -> str | None:
    """The path of Chromium's executable, or ``None`` (``$CHROMIUM`` first, then the PATH)."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named)
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def _above_nine(fd: int) -> int:
    """A copy of ``fd`` numbered 10 or more (not inherited); ``fd`` is closed."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Chromium:
    """Headless Chromium spoken to in the DevTools protocol over ``--remote-debugging-pipe``.

    Use as a context manager; :meth:`send` runs one protocol command and returns its
    result, keeping the events that arrive meanwhile in :attr:`events`.

    Parameters
    ----------
    executable : str
        Chromium's executable (see :func:`find_chromium`).
    timeout : float
        Seconds to wait for any one answer.
    """

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.executable = executable
        self.timeout = timeout
        self.events: list[dict] = []
        self._messages: queue.Queue = queue.Queue()
        self._next_id = 0
        self._profile: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None
        self._to_browser = self._from_browser = -1
        self._reader: threading.Thread | None = None

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="netter-chromium-")
        # The browser reads commands from its fd 3 and writes answers to its fd 4.
        command_read, command_write = os.pipe()
        answer_read, answer_write = os.pipe()
        # The child's ends are moved above 9, so that the shell's redirections to 3 and 4
        # cannot close the descriptor they copy.
        command_read, answer_write = (_above_nine(fd) for fd in (command_read, answer_write))
        flags = ["--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
                 "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
                 "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync", "--mute-audio",
                 "--hide-scrollbars", f"--window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}",
                 "about:blank"]
        # bash (not sh: dash redirects single-digit descriptors only) puts them in place.
        shell = f'exec "$@" 3<&{command_read} 4>&{answer_write} {command_read}<&- {answer_write}>&-'
        self._log = Path(self._profile.name) / "stderr.log"
        try:
            with open(self._log, "wb") as log:
                self._process = subprocess.Popen(
                    ["/bin/bash", "-c", shell, "chromium", self.executable, *flags],
                    pass_fds=(command_read, answer_write), stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT)
        finally:
            os.close(command_read)
            os.close(answer_write)
        self._to_browser, self._from_browser = command_write, answer_read
        self._reader = threading.Thread(target=self._read, name="chromium-pipe", daemon=True)
        self._reader.start()
        try:
            self.send("Browser.getVersion")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                try:
                    self.send("Browser.close", timeout=5)
                except (BrowserError, OSError):
                    pass
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._to_browser = self._from_browser = -1
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def _read(self) -> None:
        """Thread: split what the browser writes into messages (NUL-ended JSON)."""
        buffer = b""
        try:
            while True:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for message in messages:
                    self._messages.put(json.loads(message))
        except (OSError, ValueError):
            pass
        self._messages.put(None)       # the browser has gone

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        """Run one DevTools command; return its result (events go to :attr:`events`)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except OSError as err:
            raise BrowserError(f"{method}: Chromium has gone ({err}){self._last_words()}") \
                from err
        answer = self._wait(lambda m: m.get("id") == self._next_id, timeout, method)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error'].get('message', answer['error'])}")
        return answer.get("result", {})

    def wait_event(self, method: str, session: str | None = None,
                   timeout: float | None = None) -> dict:
        """Wait for the next event ``method`` (of ``session``) not yet seen; return it."""
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session \
                    and not event.get("_seen"):
                event["_seen"] = True
                return event
        event = self._wait(lambda m: m.get("method") == method
                           and m.get("sessionId") == session, timeout, method)
        event["_seen"] = True
        return event

    def _last_words(self) -> str:
        """The end of what Chromium wrote to stderr (its own diagnostics), for an error."""
        try:
            lines = self._log.read_text(errors="replace").strip().splitlines()
        except (OSError, AttributeError):
            return ""
        return "; it said:\n  " + "\n  ".join(lines[-5:]) if lines else ""

    def _wait(self, wanted: Callable[[dict], bool], timeout: float | None, what: str) -> dict:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            left = deadline - time.monotonic()
            try:
                message = self._messages.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise BrowserError(f"{what}: no answer from Chromium in "
                                   f"{self.timeout if timeout is None else timeout:g} s") \
                    from None
            if message is None:
                self._messages.put(None)
                raise BrowserError(f"{what}: Chromium has exited{self._last_words()}")
            if wanted(message):
                return message
            if "method" in message:
                self.events.append(message)


#: Run in the page once it has loaded: every image, whether it loaded and its size.
_IMAGES_JS = """JSON.stringify(Array.from(document.images, img => ({
  src: img.getAttribute('src') || '', complete: img.complete, width: img.naturalWidth})))"""


def _short(src: str, limit: int = 80) -> str:
    return src if len(src) <= limit else src[:limit - 3] + "..."


def _console_problems(page: str, events: Iterable[dict],
                      session: str | None = None) -> list[Problem]:
    """Errors the console showed, from a page's DevTools events (of ``session`` if given).

    Examples
    --------
    >>> events = [{"method": "Runtime.consoleAPICalled",
    ...            "params": {"type": "error", "args": [{"value": "boom"}]}},
    ...           {"method": "Log.entryAdded", "params": {"entry": {
    ...            "level": "error", "text": "Failed to load resource", "url": "file:///r/x.png"}}},
    ...           {"method": "Runtime.consoleAPICalled",
    ...            "params": {"type": "log", "args": [{"value": "fine"}]}}]
    >>> for problem in _console_problems("index.html", events):
    ...     print(problem)
    index.html: console error 'boom'
    index.html: console error 'file:///r/x.png': Failed to load resource
    """
    problems = []
    for event in events:
        if session is not None and event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in
                            params.get("args", []))
            problems.append(Problem(page, "console error", text))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            problems.append(Problem(page, "console error", " ".join(text.split()),
                                    "uncaught exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            problems.append(Problem(page, "console error", entry.get("url") or "",
                                    entry.get("text", "")))
    return problems


def check_in_browser(reports: str | os.PathLike, pages: list[str], executable: str,
                     screenshot: str | os.PathLike | None = None, timeout: float = 30.0,
                     progress: Callable[[str], None] | None = None
                     ) -> tuple[list[Problem], int]:
    """Open each page in headless Chromium; the images that did not load, the console errors.

    Parameters
    ----------
    reports : path
        The reports folder.
    pages : list of str
        HTML pages relative to it (:attr:`Crawl.pages`); the first is the screenshot's.
    executable : str
        Chromium (see :func:`find_chromium`).
    screenshot : path, optional
        PNG file to write: the first page, whole, :data:`WINDOW_WIDTH` pixels wide.
    timeout : float
        Seconds each page may take to load.
    progress : callable, optional
        Called with each page before it is opened.

    Returns
    -------
    problems : list of Problem
        Images not loaded, console errors, pages that did not load.
    images : int
        How many images the pages show (``<img>``, inline ones included).
    """
    root = Path(reports).resolve()
    problems: list[Problem] = []
    images = 0
    with Chromium(executable, timeout=timeout) as browser:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": WINDOW_WIDTH, "height": WINDOW_HEIGHT, "deviceScaleFactor": 1,
                      "mobile": False}, session=session)
        for number, page in enumerate(pages):
            if progress:
                progress(page)
            browser.events.clear()
            url = (root / page).as_uri()
            navigated = browser.send("Page.navigate", {"url": url}, session=session)
            if navigated.get("errorText"):
                problems.append(Problem(page, "page not loaded", url, navigated["errorText"]))
                continue
            try:
                browser.wait_event("Page.loadEventFired", session=session)
            except BrowserError as err:
                problems.append(Problem(page, "page not loaded", url, str(err)))
                continue
            found = browser.send("Runtime.evaluate", {"expression": _IMAGES_JS,
                                                      "returnByValue": True}, session=session)
            shown = json.loads(found["result"]["value"])
            images += len(shown)
            for image in shown:
                if not image["complete"] or image["width"] <= 0:
                    problems.append(Problem(page, "image not loaded", _short(image["src"]),
                                            "the browser could not show it"))
            problems.extend(sorted(_console_problems(page, browser.events, session),
                                   key=lambda p: (p.target, p.detail)))
            if number == 0 and screenshot is not None:
                _screenshot(browser, session, Path(screenshot))
    return problems, images


def _screenshot(browser: Chromium, session: str, out: Path) -> None:
    """The whole page (up to :data:`SCREENSHOT_MAX_HEIGHT` pixels tall) as a PNG."""
    metrics = browser.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = min(max(int(size["height"] + 0.5), 1), SCREENSHOT_MAX_HEIGHT)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": WINDOW_WIDTH, "height": height, "deviceScaleFactor": 1,
                  "mobile": False}, session=session)
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": WINDOW_WIDTH, "height": WINDOW_HEIGHT, "deviceScaleFactor": 1,
                  "mobile": False}, session=session)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))


@dataclass
class Check:
    """What :func:`check_reports` found.

    Attributes
    ----------
    crawl : Crawl
        The pages, files and link problems.
    browser_problems : list of Problem
        Images not loaded and console errors (empty without a browser).
    browser : str or None
        The Chromium used, or ``None`` if the browser part did not run.
    seconds : float
        How long the check took.
    images : int
        Images the browser found in the pages (0 without a browser).
    """

    crawl: Crawl
    browser_problems: list[Problem]
    browser: str | None
    seconds: float
    images: int = 0

    @property
    def problems(self) -> list[Problem]:
        """Every problem: the links' then the browser's."""
        return self.crawl.problems + self.browser_problems


def check_reports(reports: str | os.PathLike, screenshot: str | os.PathLike | None = None,
                  browser: bool = True, timeout: float = 30.0,
                  progress: Callable[[str], None] | None = None,
                  ignore: Iterable[str] = ()) -> Check:
    """Crawl the reports from their home page, then open every page in headless Chromium.

    Parameters
    ----------
    reports : path
        The reports folder (its ``index.html`` is the home page).
    screenshot : path, optional
        Where to save a PNG of the home page.
    browser : bool
        ``False``: the links only, no Chromium.
    timeout : float
        Seconds a page may take to load.
    progress : callable, optional
        Called with each page before the browser opens it.
    ignore : iterable of str
        Folders whose files are not listed as unlinked (see :func:`crawl`).

    Returns
    -------
    Check

    Raises
    ------
    BrowserError
        ``browser`` is true and Chromium is not found or fails.
    """
    start = time.monotonic()
    found = crawl(reports, ignore=ignore)
    executable = None
    problems: list[Problem] = []
    images = 0
    if browser and found.pages:
        executable = find_chromium()
        if executable is None:
            raise BrowserError("Chromium not found: install the Debian package chromium "
                               "(make check-report does) or set $CHROMIUM")
        problems, images = check_in_browser(reports, found.pages, executable,
                                            screenshot=screenshot, timeout=timeout,
                                            progress=progress)
    return Check(found, problems, executable, time.monotonic() - start, images)

"""Simulated members for bench/meeting_load.py: a browser per member (urllib, cookie jar, CSRF), the
meeting room through the pages or the API, and the one-minute window in which they check in and vote."""

from __future__ import annotations

import html
import http.client
import http.cookiejar
import json
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

PASSWORD = "Bench-meeting-2025"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Setup:
    method: str
    meeting_id: int
    vote_id: int
    invitation_of: dict[int, int]  # member id -> invitation id


# --- Simulated members ------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    status: int
    error: str | None  # None: the answer expected
    started: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them (a POST answered 302 is a success; the page it leads
    to would be a separate request of the browser)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


class Browser:
    """One member's browser: a cookie jar, the CSRF token, plain urllib (a new connection per request)."""

    def __init__(self, base: str, recorder: Recorder) -> None:
        self.base = base
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.headers: dict[str, str] = {}
        self.state: dict[str, str] = {}

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
        refused: tuple[int, ...] = (),
    ) -> Answer | None:
        """One request, timed and recorded. Statuses in `ok` or `refused` are expected answers; any other
        status or a network failure is an error. Returns None on a network failure."""
        all_headers = {"Origin": self.base, "Referer": self.base + path, **self.headers, **(headers or {})}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if method == "POST" and "X-CSRFToken" not in all_headers and self.cookie("csrftoken"):
            all_headers["X-CSRFToken"] = self.cookie("csrftoken")
        request = urllib.request.Request(self.base + path, data=data, headers=all_headers, method=method)
        started = time.perf_counter()
        try:
            try:
                with self.opener.open(request, timeout=60) as response:
                    answer = Answer(response.status, response.read().decode(), dict(response.headers))
            except urllib.error.HTTPError as exc:
                answer = Answer(exc.code, exc.read().decode(errors="replace"), dict(exc.headers))
        except (OSError, http.client.HTTPException) as exc:
            ms = (time.perf_counter() - started) * 1000
            self.recorder.add(Sample(kind, ms, 0, f"{type(exc).__name__}: {exc}", started))
            return None
        ms = (time.perf_counter() - started) * 1000
        error = None
        if answer.status not in ok + refused:
            error = f"HTTP {answer.status} {method} {path}: {html.unescape(answer.body[:200])!r}"
        self.recorder.add(Sample(kind, ms, answer.status, error, started))
        return answer


@dataclass
class Outcome:
    """What one member did in the window, as the member saw it."""

    index: int
    choice: str = ""
    accepted: bool = False
    duplicate: str = ""  # "" | "resubmit" (a second ballot later, another choice) | "double" (double click)
    duplicate_refused: bool | None = None
    errors: list[str] = field(default_factory=list)


class Flow:
    """The requests of one member, through the pages or through the API."""

    name = ""

    def login(self, b: Browser, username: str) -> bool:
        raise NotImplementedError

    def room(self, b: Browser, s: Setup) -> bool:
        raise NotImplementedError

    def check_in(self, b: Browser, s: Setup) -> bool:
        raise NotImplementedError

    def vote_view(self, b: Browser, s: Setup) -> bool:
        raise NotImplementedError

    def ballot(self, b: Browser, s: Setup, choice: str, kind: str = "ballot") -> bool | None:
        """True: accepted; False: refused (already voted); None: an error."""
        raise NotImplementedError

    def tally(self, b: Browser, s: Setup) -> bool:
        raise NotImplementedError

    def poll(self, b: Browser, s: Setup) -> bool:
        """What an open room page asks every few seconds (--poll)."""
        raise NotImplementedError

    def close(self, chair: Browser, s: Setup) -> bool:
        raise NotImplementedError


class ApiFlow(Flow):
    """REST API (dangvu/api/routers/meetings.py) with a bearer token per member."""

    name = "api"

    def login(self, b: Browser, username: str) -> bool:
        answer = b.send("login", "POST", "/api/v1/auth/token", body={"username": username, "password": PASSWORD})
        if answer is None or answer.status != 200:
            return False
        b.headers["Authorization"] = f"Bearer {json.loads(answer.body)['token']}"
        return True

    def room(self, b: Browser, s: Setup) -> bool:
        return _ok(b.send("room", "GET", f"/api/v1/meetings/{s.meeting_id}"))

    def check_in(self, b: Browser, s: Setup) -> bool:
        return _ok(b.send("check_in", "POST", f"/api/v1/meetings/{s.meeting_id}/check-in", body={}))

    def vote_view(self, b: Browser, s: Setup) -> bool:
        return _ok(b.send("vote", "GET", f"/api/v1/votes/{s.vote_id}"))

    def ballot(self, b: Browser, s: Setup, choice: str, kind: str = "ballot") -> bool | None:
        answer = b.send(kind, "POST", f"/api/v1/votes/{s.vote_id}/ballots", body={"choice": choice}, refused=(422,))
        if answer is None or answer.status not in (200, 422):
            return None
        return answer.status == 200

    def tally(self, b: Browser, s: Setup) -> bool:
        answer = b.send("tally", "GET", f"/api/v1/votes/{s.vote_id}")
        return _ok(answer) and json.loads(answer.body).get("ballots_cast") is not None

    def poll(self, b: Browser, s: Setup) -> bool:
        return _ok(b.send("poll", "GET", f"/api/v1/votes/{s.vote_id}"))

    def close(self, chair: Browser, s: Setup) -> bool:
        answer = chair.send("close", "POST", f"/api/v1/votes/{s.vote_id}/close", body={})
        return _ok(answer) and json.loads(answer.body)["state"] == "closed"


POLL_URL = re.compile(r'id="room-poll"[^>]*data-url="([^"]+)"')
NOTICE_LEVEL = re.compile(r'data-level="(success|error)"')
HTMX = {"HX-Request": "true"}


class PagesFlow(Flow):
    """The meeting room as a tablet uses it (dangvu/meetings/room_views.py, room_urls.py): the log-in form,
    the room page, then HTMX requests: actions answer 200 with the panels and a notice (success or error,
    e.g. "already voted"), and the page's poll (`meetings:room_live`, carrying the version of each panel it
    shows) answers the panels that changed, or 204."""

    name = "pages"

    def login(self, b: Browser, username: str) -> bool:
        page = b.send("login_page", "GET", "/accounts/login/")
        found = CSRF_INPUT.search(page.body) if page else None
        if found is None:
            return False
        form = {"csrfmiddlewaretoken": found.group(1), "username": username, "password": PASSWORD, "next": ""}
        answer = b.send("login", "POST", "/accounts/login/", form=form, ok=(302,))
        return answer is not None and answer.status == 302 and bool(b.cookie("sessionid"))

    def _form(self, b: Browser, **fields: str) -> dict:
        return {"csrfmiddlewaretoken": b.cookie("csrftoken"), **fields}

    def _remember_poll(self, b: Browser, answer: Answer | None) -> None:
        found = POLL_URL.search(answer.body) if answer else None
        if found:
            b.state["poll"] = html.unescape(found.group(1))

    def _poll(self, b: Browser, kind: str, *, without: str = "") -> Answer | None:
        """The page's poll; `without` drops the version of a panel, so that it comes back whatever it
        holds (the page shows an older state of it)."""
        url = urllib.parse.urlsplit(b.state["poll"])
        query = [(k, v) for k, v in urllib.parse.parse_qsl(url.query) if k != without]
        answer = b.send(kind, "GET", f"{url.path}?{urllib.parse.urlencode(query)}", headers=HTMX, ok=(200, 204))
        if answer is not None and answer.status == 200:
            self._remember_poll(b, answer)
        return answer

    def room(self, b: Browser, s: Setup) -> bool:
        answer = b.send("room", "GET", f"/meetings/{s.meeting_id}/room/")
        self._remember_poll(b, answer)
        return _ok(answer) and "poll" in b.state and f'data-vote="{s.vote_id}"' in answer.body

    def check_in(self, b: Browser, s: Setup) -> bool:
        answer = b.send(
            "check_in", "POST", f"/meetings/{s.meeting_id}/room/check-in/", form=self._form(b), headers=HTMX
        )
        self._remember_poll(b, answer)
        return _ok(answer) and 'data-attendance="present"' in answer.body and _level(answer) == "success"

    def vote_view(self, b: Browser, s: Setup) -> bool:
        answer = self._poll(b, "vote", without="votes")
        return _ok(answer) and f"/room/votes/{s.vote_id}/cast/" in answer.body

    def ballot(self, b: Browser, s: Setup, choice: str, kind: str = "ballot") -> bool | None:
        path = f"/meetings/{s.meeting_id}/room/votes/{s.vote_id}/cast/"
        answer = b.send(kind, "POST", path, form=self._form(b, choice=choice), headers=HTMX)
        if not _ok(answer) or _level(answer) is None:
            return None
        self._remember_poll(b, answer)
        return _level(answer) == "success"

    def tally(self, b: Browser, s: Setup) -> bool:
        return _ok(self._poll(b, "tally"))

    def poll(self, b: Browser, s: Setup) -> bool:
        return _ok(self._poll(b, "poll"))

    def close(self, chair: Browser, s: Setup) -> bool:
        path = f"/meetings/{s.meeting_id}/room/votes/{s.vote_id}/close/"
        answer = chair.send("close", "POST", path, form=self._form(chair), headers=HTMX)
        return _ok(answer) and _level(answer) == "success" and 'data-verdict="' in answer.body


def _level(answer: Answer) -> str | None:
    found = NOTICE_LEVEL.search(answer.body)
    return found.group(1) if found else None


def _ok(answer: Answer | None) -> bool:
    return answer is not None and 200 <= answer.status < 400


def log_in_all(flow: Flow, base: str, usernames: list[str], concurrency: int) -> tuple[list[Browser], Recorder, float]:
    """Every member logs in (the password hasher makes this deliberately slow: measured apart)."""
    recorder = Recorder()
    browsers = [Browser(base, recorder) for _ in usernames]
    failed: list[str] = []
    queue = list(enumerate(usernames))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                i, username = queue.pop(0)
            if not flow.login(browsers[i], username):
                failed.append(username)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    if failed:
        print(f"  {len(failed)} log-ins failed, e.g. {failed[:3]}")
    return browsers, recorder, seconds


def run_window(
    flow: Flow,
    browsers: list[Browser],
    setup: Setup,
    window: float,
    think: float,
    resubmit: float,
    seed: int,
    poll: float = 0.0,
) -> tuple[list[Outcome], Recorder, float]:
    """Each member arrives at a random moment of the window (uniform) and, with a short random pause
    between steps, opens the room, checks in, opens the vote, votes and polls the tally. A share
    `resubmit` of them submit a second ballot: half later with another choice, half as a double click
    (the same ballot twice at once). With `poll` > 0, each open room page also polls every `poll` seconds
    until the end of the window, as the page does in a browser. Returns the outcomes, the samples and the
    wall time."""
    recorder = Recorder()
    rng = random.Random(seed)
    choices = ["yes", "no", "abstain"]
    n = len(browsers)
    extra = rng.sample(range(n), round(n * resubmit))
    kinds = {i: ("resubmit" if k % 2 == 0 else "double") for k, i in enumerate(extra)}
    latest = max(window - 4 * think, 0.0)
    plans = []
    for _ in range(n):
        choice = rng.choices(choices, weights=[7, 2, 1])[0]
        other = rng.choice([c for c in choices if c != choice])  # the second ballot of a resubmit
        plans.append((rng.uniform(0, latest), choice, other, [rng.uniform(0, think) for _ in range(4)]))
    outcomes = [Outcome(i, duplicate=kinds.get(i, "")) for i in range(n)]
    for b in browsers:
        b.recorder = recorder
    pollers: list[threading.Thread] = []

    def keep_polling(b: Browser) -> None:
        due = time.perf_counter() + poll
        while due < start + window:
            time.sleep(max(0.0, due - time.perf_counter()))
            flow.poll(b, setup)
            due += poll

    def member(i: int) -> None:
        arrival, choice, other, pauses = plans[i]
        b, out = browsers[i], outcomes[i]
        time.sleep(max(0.0, start + arrival - time.perf_counter()))
        out.choice = choice
        steps = [flow.room, flow.check_in, flow.vote_view]
        for step, pause in zip(steps, pauses, strict=False):
            if not step(b, setup):
                out.errors.append(step.__name__)
            if step == flow.room and poll > 0:
                pollers.append(threading.Thread(target=keep_polling, args=(b,)))
                pollers[-1].start()
            time.sleep(pause)
        if out.duplicate == "double":
            results: list[bool | None] = [None, None]

            def click(k: int) -> None:
                results[k] = flow.ballot(b, setup, choice, "ballot" if k == 0 else "ballot_again")

            clicks = [threading.Thread(target=click, args=(k,)) for k in range(2)]
            for t in clicks:
                t.start()
            for t in clicks:
                t.join()
            out.accepted = results.count(True) == 1
            out.duplicate_refused = results.count(True) == 1 and results.count(False) == 1
        else:
            out.accepted = flow.ballot(b, setup, choice) is True
        if not out.accepted:
            out.errors.append("ballot not accepted")
        time.sleep(pauses[3])
        if not flow.tally(b, setup):
            out.errors.append("tally")
        if out.duplicate == "resubmit":
            out.duplicate_refused = flow.ballot(b, setup, other, "ballot_again") is False

    start = time.perf_counter()
    threads = [threading.Thread(target=member, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in pollers:
        t.join()
    return outcomes, recorder, time.perf_counter() - start

#!/usr/bin/env python3
"""The report page in a real browser: headless chromium, driven by chromedriver over plain
WebDriver HTTP on 127.0.0.1 (standard library only).

Test mode (what ctest runs): writes the known history (tests/cli/report_history.h) with
report_history_tool, runs `strata report`, opens the file from disk, checks that nothing logs an
error or runs hostile text, clicks through the filters, a commit, an object's history and blame,
a diff between two points and the deployments, and saves a screenshot as OUT/report.png. It
then records the demo shop's rounds (examples/demo.sh) and saves its report as
OUT/report-demo.png.

    report_browser_test.py --strata BIN --history-tool BIN --examples DIR --out DIR

Measure mode (docs/benchmarks.md): opens an existing report and prints how long it took to
load and to apply a filter.

    report_browser_test.py --measure FILE [--runs N] --out DIR

chromedriver and chromium run in a process group of their own, ended when the script ends,
whether the checks passed or not.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000", "--lang=en-US", "--disable-crash-reporter", "--disable-breakpad",
]


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def free_port():
    """A port the OS says is free on 127.0.0.1 (bound to port 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def become_subreaper():
    """Orphans of the browser (its crash handler double-forks) become this process's children,
    so close() can reap them instead of leaving them to an init that may not."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def children():
    """The pids whose parent is this process (the browser's orphans, once it is a subreaper)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so read after its closing paren.
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            found.append(int(entry))
    return found


def reap_orphans():
    """Ends and reaps what the browser left behind in other process groups."""
    deadline = time.time() + 5
    while time.time() < deadline:
        left = children()
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in left:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


class Driver:
    """chromedriver and one browser session."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.log_path = self.workdir / "chromedriver.log"
        self.proc = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self.port}", f"--log-path={self.log_path}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        self.session = None
        try:
            self._start_session()
        except BaseException:
            self.close()
            raise

    def _start_session(self):
        deadline = time.time() + 30
        while True:
            try:
                if self._call("GET", "/status")["value"].get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise CheckFailed(f"chromedriver did not start (log: {self.log_path})")
            time.sleep(0.1)
        profile = self.workdir / "profile"
        shutil.rmtree(profile, ignore_errors=True)
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM,
                                   "args": CHROME_FLAGS + [f"--user-data-dir={profile}"]},
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        r = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})
        self.session = r["value"]["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            detail = json.loads(e.read()).get("value", {}).get("message", "").split("\n")[0]
            raise CheckFailed(f"WebDriver {method} {path} {str(body)[:200]}: {e.code} {detail}")

    def s(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)["value"]

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find_all(self, css):
        found = self.s("POST", "/elements", {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def find(self, css):
        found = self.find_all(css)
        check(found, f"no element matches {css}")
        return found[0]

    def click(self, css):
        self.click_element(self.find(css))

    def click_element(self, eid):
        self.s("POST", f"/element/{eid}/click", {})

    def type(self, css, text):
        self.s("POST", f"/element/{self.find(css)}/value", {"text": text})

    def text(self, css):
        return self.s("GET", f"/element/{self.find(css)}/text")

    def browser_log(self):
        return self.s("POST", "/se/log", {"type": "browser"})

    def screenshot(self, path):
        Path(path).write_bytes(base64.b64decode(self.s("GET", "/screenshot")))

    def close(self):
        try:
            if self.session:
                self._call("DELETE", f"/session/{self.session}")
        except Exception:  # the browser may be gone already; the group is ended below
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        # chromium's own processes are in the same group; make sure none outlives the test.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        reap_orphans()


def wait_ready(d, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if d.js("return !!(window.strataReport && window.strataReport.ready);"):
            return
        time.sleep(0.05)
    raise CheckFailed("the page never became ready; browser log: "
                      + json.dumps(d.browser_log())[:2000])


def errors_in_log(d):
    return [e for e in d.browser_log() if e.get("level") in ("SEVERE", "ERROR")]


def visible_seqs(d):
    return d.js("return [...document.querySelectorAll('#timeline-list .tl-row')]"
                ".sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))"
                ".map(r => Number(r.dataset.seq));")


def pick_option(d, select_id, label):
    for eid in d.find_all(f"#{select_id} option"):
        if d.s("GET", f"/element/{eid}/text") == label:
            d.click_element(eid)
            return
    raise CheckFailed(f"no option {label!r} in #{select_id}")


def clear_input(d, css):
    # Backspaces, as a user deletes: each fires the input event the filter listens to.
    value = d.js("return document.querySelector(arguments[0]).value;", css)
    d.type(css, "\ue003" * (len(value) + 1))


HOSTILE_TABLE = '</script><img src=x onerror="window.__xss=1">'
HOSTILE_MESSAGE = "</script><script>window.__xss=2</script>by status"


def run_checks(d, page, out):
    d.go(page.as_uri())
    wait_ready(d)
    d.js("window.__errors = []; window.addEventListener('error', e => window.__errors.push("
         "String(e.message)));")
    check(errors_in_log(d) == [], f"console errors on load: {errors_in_log(d)}")
    check(d.js("return window.__xss === undefined;"), "hostile text ran as script")
    check(d.js("return document.querySelectorAll('img').length;") == 0, "an <img> was created")

    # The timeline, newest first.
    check(visible_seqs(d) == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], f"timeline: {visible_seqs(d)}")
    check("10 commits, 4 objects" in d.text("#f-count"), d.text("#f-count"))

    # Filters: actor, schema, object name, time.
    pick_option(d, "f-actor", "bob <bob@shop.example>")
    check(visible_seqs(d) == [3, 2], f"actor filter: {visible_seqs(d)}")
    pick_option(d, "f-actor", "all actors")
    pick_option(d, "f-schema", "postgres")
    check(visible_seqs(d) == [4], f"schema filter: {visible_seqs(d)}")
    check(d.text("#timeline-list .tl-row .c-msg") == "app schema & a table named '<img>'",
          d.text("#timeline-list .tl-row .c-msg"))
    pick_option(d, "f-schema", "all schemas")
    d.type("#f-object", "orders")
    check(visible_seqs(d) == [6, 3, 1], f"object filter: {visible_seqs(d)}")
    clear_input(d, "#f-object")
    check(len(visible_seqs(d)) == 10, f"object filter cleared: {visible_seqs(d)}")
    d.type("#f-since", "03052026")  # mm dd yyyy: 2026-03-05
    check(visible_seqs(d) == [10, 9, 8, 7, 6, 5], f"since filter: {visible_seqs(d)}")
    clear_input(d, "#f-since")
    d.js("const e = document.getElementById('f-since'); e.value = '';"
         "e.dispatchEvent(new Event('change'));")
    check(len(visible_seqs(d)) == 10, f"since filter cleared: {visible_seqs(d)}")

    # A commit: its fields and what it changed, hostile message as plain text.
    d.click('#timeline-list .tl-row[data-seq="3"]')
    detail = d.text("#commit-detail")
    check("Commit 3" in detail and "bob <bob@shop.example>" in detail, detail)
    check(HOSTILE_MESSAGE in detail, f"message not shown as text: {detail}")
    check("by_status" in d.text("#commit-objects"), d.text("#commit-objects"))

    # The object's life: three versions, blame naming who wrote each line.
    d.click('#commit-objects a.obj-link[data-object="orders"]')
    check(d.text("#object-detail h2") == "orders", d.text("#object-detail h2"))
    versions = d.js("return [...document.querySelectorAll('#object-history .version-row')]"
                    ".map(r => Number(r.dataset.seq));")
    check(versions == [6, 3, 1], f"versions: {versions}")
    blame = d.text("#object-blame")
    check("3 bob <bob@shop.example>" in blame and "by_status" in blame, blame)
    check("6 carol" in blame and "DeletionProtectionEnabled" in blame, blame)
    check("1 alice" in blame, blame)

    # Two points of the object's history, compared side by side.
    d.click('#object-history .version-row[data-seq="1"] button[data-pick="a"]')
    d.click('#object-history .version-row[data-seq="6"] button[data-pick="b"]')
    check("active" in d.js("return document.getElementById('view-diff').className;"),
          "picking A and B did not open the diff")
    summary = d.text("#diff-summary")
    check(summary == "seq 1 → seq 6: 4 objects differ.", summary)
    added = d.js("return [...document.querySelectorAll('table.sbs[data-object=\"orders\"] td.add')]"
                 ".map(t => t.textContent).join('\\n');")
    check("by_status" in added and "DeletionProtectionEnabled" in added, added)
    check(d.js("return document.querySelector('table.sbs[data-object=\"customers\"] th')"
               ".textContent;") == "seq 1 (absent)", "customers did not exist at seq 1")
    d.screenshot(out / "report-diff.png")

    # Typed points: back to before the drop of customers.
    clear_input(d, "#diff-b")
    d.type("#diff-b", "7")
    d.click("#diff-run")
    check("seq 1 → seq 7" in d.text("#diff-summary"), d.text("#diff-summary"))
    check(d.js("return document.querySelector('table.sbs[data-object=\"customers\"]');") is None,
          "customers existed neither at 1 nor at 7")

    # The hostile table, found by name and shown as text.
    d.click("#tab-objects")
    d.type("#f-object", "img")
    rows = d.find_all("#object-list .obj-row")
    check(len(rows) == 1, f"{len(rows)} objects match img")
    check(d.s("GET", f"/element/{rows[0]}/text").startswith("app." + HOSTILE_TABLE),
          d.s("GET", f"/element/{rows[0]}/text"))
    d.click_element(rows[0])
    check(d.text("#object-detail h2") == "app." + HOSTILE_TABLE, d.text("#object-detail h2"))
    clear_input(d, "#f-object")

    # Deployments per target over time.
    d.click("#tab-deployments")
    cursors = d.text("#cursors")
    check("prod-ddb" in cursors and "staging-ddb" in cursors, cursors)
    deps = d.js("return [...document.querySelectorAll('#deployments .dep-row')]"
                ".map(r => r.textContent);")
    check(len(deps) == 3 and "throttled" in deps[1] and "failed" in deps[1], deps)
    check(len(d.find_all("#lanes .dot")) == 3, "three deployments on the lanes")
    d.screenshot(out / "report-deployments.png")
    d.click('#deployments .dep-row[data-seq="8"]')
    detail = d.text("#commit-detail")
    check("Commit 8" in detail and "prod-ddb: seq 3 → 3, failed" in detail, detail)

    # The page a reader first sees, with a commit open: the screenshot.
    d.click('#timeline-list .tl-row[data-seq="3"]')
    d.screenshot(out / "report.png")

    check(d.js("return window.__errors;") == [], d.js("return window.__errors;"))
    check(errors_in_log(d) == [], f"console errors: {errors_in_log(d)}")
    check(d.js("return window.__xss === undefined;"), "hostile text ran as script")


def run_long_checks(d, page, out):
    """A longer history with most objects summarized: rows are drawn only where they are seen,
    and what is not embedded says so."""
    d.go(page.as_uri())
    wait_ready(d)
    check(errors_in_log(d) == [], f"console errors on load: {errors_in_log(d)}")
    check(d.text("#f-count") == "3010 commits, 124 objects", d.text("#f-count"))
    drawn = len(d.find_all("#timeline-list .tl-row"))
    check(drawn < 80, f"{drawn} timeline rows drawn for 3010 commits")
    # Scroll the timeline to its end with the mouse wheel, as a reader would.
    wheel = {"type": "wheel", "id": "wheel", "actions": [
        {"type": "scroll", "x": 0, "y": 0, "deltaX": 0, "deltaY": 3010 * 28,
         "origin": {ELEMENT: d.find("#timeline-list")}}]}
    d.s("POST", "/actions", {"actions": [wheel]})
    # The browser scrolls smoothly, in frames: on a loaded two-core machine (a CI run with the
    # crash trials beside it) reaching the end took over 10 s, so it gets the page's own 60 s.
    deadline = time.time() + 60
    while 1 not in visible_seqs(d) and time.time() < deadline:
        time.sleep(0.05)
    check(1 in visible_seqs(d), f"the oldest commit after scrolling: {visible_seqs(d)[-5:]}")
    d.click('#timeline-list .tl-row[data-seq="1"]')
    check("Commit 1" in d.text("#commit-detail") and "alice" in d.text("#commit-detail"),
          d.text("#commit-detail"))

    # An object whose text is not embedded: its commits, and how to embed it.
    d.click("#tab-objects")
    d.type("#f-object", "load-0000")
    d.click("#object-list .obj-row")
    detail = d.text("#object-detail")
    check("not embedded" in detail and "--objects load-0000" in detail, detail)
    rows = len(d.find_all("#object-history tr"))
    changes = d.js("return document.querySelector('#object-list .obj-row .c-n').textContent;")
    check(rows == int(changes), f"{rows} commits listed, {changes} recorded")
    clear_input(d, "#f-object")

    # A diff across the tail: embedded objects side by side, the others named.
    d.click("#tab-diff")
    clear_input(d, "#diff-a")
    d.type("#diff-a", "11")
    clear_input(d, "#diff-b")
    d.type("#diff-b", "3010")
    d.click("#diff-run")
    summary = d.text("#diff-summary")
    check(summary == "seq 11 → seq 3010: 10 objects differ; 110 more changed whose text is not "
          "embedded.", summary)
    d.screenshot(out / "report-long.png")
    check(errors_in_log(d) == [], f"console errors: {errors_in_log(d)}")


# The demo's shop (examples/demo.sh, its recorded part): four rounds of table files recorded by
# three people on four days, and tag v1.
DEMO_ROUNDS = [
    ("1-initial", "alice", "2026-03-01T09:00:00Z", "initial tables"),
    ("2-lookups", "bob", "2026-03-03T14:30:00Z", "customers by email; owner tags"),
    ("3-streams", "alice", "2026-03-10T11:00:00Z", "totals on the status index; carts"),
    ("4-retire", "carol", "2026-03-20T16:45:00Z", "retire sessions; carts per item"),
]


def record_demo_shop(strata, examples, project):
    shop = Path(examples) / "shop"
    (project / "schema" / "dynamodb").mkdir(parents=True)
    shutil.copy(shop / "strata.yaml", project / "strata.yaml")
    for step, who, when, message in DEMO_ROUNDS:
        tables = project / "schema" / "dynamodb"
        for f in tables.iterdir():
            f.unlink()
        for f in (shop / "steps" / step).iterdir():
            shutil.copy(f, tables / f.name)
        env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "STRATA_NOW": when,
               "STRATA_ACTOR_NAME": who, "STRATA_ACTOR_EMAIL": f"{who}@shop.example",
               "STRATA_ACTOR_HOST": f"laptop-{who}"}
        subprocess.run([strata, "generate", "-m", message], cwd=project, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        if step == "2-lookups":
            subprocess.run([strata, "tag", "v1", "-m", "first release"], cwd=project, env=env,
                           check=True, stdout=subprocess.DEVNULL)


def run_demo_checks(d, page, out):
    """The demo project's report, as a reader opens it: the screenshot a person looks at."""
    d.go(page.as_uri())
    wait_ready(d)
    check(errors_in_log(d) == [], f"console errors: {errors_in_log(d)}")
    seqs = visible_seqs(d)
    check(seqs == [5, 4, 3, 2, 1], f"four rounds and a tag (seq 3): {seqs}")
    d.click('#timeline-list .tl-row[data-seq="5"]')
    detail = d.text("#commit-detail")
    check("carol" in detail and "retire sessions" in detail, detail)
    d.click('#commit-objects a.obj-link[data-object="orders"]')
    check(d.text("#object-detail h2") == "orders", d.text("#object-detail h2"))
    check("alice" in d.text("#object-blame"), d.text("#object-blame"))
    d.click("#tab-timeline")
    d.click('#timeline-list .tl-row[data-seq="5"]')
    d.screenshot(out / "report-demo.png")
    check(errors_in_log(d) == [], f"console errors: {errors_in_log(d)}")


def test_mode(args):
    out = Path(args.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    project = out / "project"
    strata = str(Path(args.strata).resolve())
    subprocess.run([str(Path(args.history_tool).resolve()), str(project)], check=True)
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "STRATA_NOW": "2026-03-20T12:00:00Z"}
    page = out / "report.html"
    subprocess.run([strata, "report", "--out", str(page)], cwd=project, env=env, check=True)
    long_project = out / "long"
    subprocess.run([str(Path(args.history_tool).resolve()), str(long_project), "3000", "120"],
                   check=True)
    long_page = out / "report-long.html"
    subprocess.run([strata, "report", "--max-objects", "10", "--out", str(long_page)],
                   cwd=long_project, env=env, check=True)
    demo_project = out / "demo-shop"
    record_demo_shop(strata, args.examples, demo_project)
    demo_page = out / "report-demo.html"
    subprocess.run([strata, "report", "--out", str(demo_page)], cwd=demo_project, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    d = Driver(out)
    try:
        run_checks(d, page, out)
        run_long_checks(d, long_page, out)
        run_demo_checks(d, demo_page, out)
    except CheckFailed:
        d.screenshot(out / "report-failure.png")
        print(f"screenshot of the failure: {out / 'report-failure.png'}")
        raise
    finally:
        d.close()
    print(f"screenshot: {out / 'report.png'}")
    print(f"screenshot of the demo project's report: {out / 'report-demo.png'}")
    print("report_browser: all checks passed")


def measure_mode(args):
    page = Path(args.measure).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    d = Driver(Path(tempfile.mkdtemp(dir=out)))
    try:
        for run in range(args.runs):
            started = time.time()
            d.go("about:blank")
            d.go(page.as_uri())
            wait_ready(d, timeout=300)
            wall = time.time() - started
            ready = d.js("return window.strataReport.readyAt;")
            ms = d.js("const t = performance.now();"
                      "const e = document.getElementById('f-object'); e.value = 'orders-audit';"
                      "e.dispatchEvent(new Event('input'));"
                      "return performance.now() - t;")
            clicks = d.js("""
              const time = (f) => { const t = performance.now(); f(); document.body.offsetHeight;
                                    return Math.round(performance.now() - t); };
              const e = document.getElementById('f-object'); e.value = '';
              e.dispatchEvent(new Event('input'));
              const out = {};
              const row = [...document.querySelectorAll('#timeline-list .tl-row')]
                .find((r) => r.querySelector('.c-n').textContent !== '');
              out.commit_ms = time(() => row.click());
              out.object_ms = time(() => document.querySelector('#commit-objects a.obj-link').click());
              out.diff_ms = time(() => {
                document.getElementById('tab-diff').click();
                document.getElementById('diff-a').value = 1;
                document.getElementById('diff-b').value = 999999999;
                document.getElementById('diff-run').click();
              });
              out.diff_objects = document.querySelectorAll('#diff-out table.sbs').length;
              out.deployments_ms = time(() => document.getElementById('tab-deployments').click());
              out.scroll_ms = time(() => {
                document.getElementById('tab-timeline').click();
                const l = document.getElementById('timeline-list');
                l.scrollTop = l.scrollHeight / 2; l.dispatchEvent(new Event('scroll'));
              });
              return out;""")
            heap = d.js("return performance.memory ? performance.memory.usedJSHeapSize : 0;")
            print(json.dumps({"run": run + 1, "ready_ms": round(ready), "wall_s": round(wall, 2),
                              "filter_ms": round(ms), **clicks, "heap_mb": round(heap / 2**20),
                              "errors": errors_in_log(d)}))
        d.screenshot(out / "report-measure.png")
    finally:
        d.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--strata")
    p.add_argument("--history-tool")
    p.add_argument("--examples", help="the examples directory (the demo shop's table files)")
    p.add_argument("--out", required=True)
    p.add_argument("--measure")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    become_subreaper()
    # A test runner's timeout or ^C ends the script through its finally blocks, which stop the
    # browser and chromedriver.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            print(f"report_browser: {tool} is missing (apt-get install chromium chromium-driver)")
            return 1
    try:
        if args.measure:
            measure_mode(args)
        else:
            test_mode(args)
    except CheckFailed as e:
        print(f"report_browser: FAILED: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

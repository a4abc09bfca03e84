#!/usr/bin/env python3
# Runs stackcheck on one fixture and checks its JSON report against the
# expectations written in the fixture's comments (STYLE.md section 6).
# Usage: run_fixture.py STACKCHECK FIXTURE.c   Exit: 0 pass, 1 mismatch, 2 harness error.
#        run_fixture.py --update-bytes STACKCHECK FIXTURE.c...  rewrites the BYTES of
#        existing expect-bound directives from a real run (review the diff).
"""Fixture harness for stackcheck.

Directives live in C comments (/* ... */ or // ...), one per comment, and a
comment may hold exactly one directive; a line may hold several comments.

  stackcheck-args: ARGS...         extra arguments; arguments ending in .c/.h
                                   that name existing files (relative to the
                                   fixture's folder) are extra inputs
  stackcheck-library: DIR [ARGS...]  a library: the harness runs `stackcheck summarize
                                   -o TMP ARGS... DIR/*.c` (DIR relative to the
                                   fixture's folder, usually NAME.parts/lib; give
                                   the fixture's --target in ARGS), then adds
                                   --library TMP to the run; repeatable, in order.
                                   Directives in DIR's files count
  stackcheck-exit: N               expected exit status (default 0)
  stackcheck-timeout: SECONDS      per-fixture timeout (default 60)
  stackcheck-all-entries           every reported entry must have an expect-bound
  expect: SEVERITY RULE [/REGEX/]  a finding on this line (expect@+N: / expect@-N:
                                   for N lines below / above)
  expect-not: RULE                 no finding of RULE on this line (also @+N/@-N)
  expect-bound: ENTRY STATUS [BYTES]  BYTES only with a pinned --target
  expect-path: ENTRY f -> g -> h   the function names of ENTRY's deepest path
  expect-reason: ENTRY /REGEX/     one of ENTRY's reasons matches REGEX
  expect-no-function: NAME         the report's function table has no NAME
  expect-known-fail: ISSUE REASON  the fixture is known to fail: mismatch gives
                                   XFAIL (exit 0), a pass gives XPASS (exit 1)
  stackcheck-selftest: /REGEX/     harness self-tests only (tests/harness/selftest,
                                   registered WILL_FAIL): the harness must report a
                                   problem (or harness error) matching REGEX; then it
                                   exits 1 as usual, otherwise it exits 0 so that the
                                   WILL_FAIL test fails: a self-test that fails for
                                   the wrong reason (a crash, a missing binary) does
                                   not count as proof

Every finding that is not suppressed must match exactly one expectation (on
file, line, severity and rule; the regex, when given, is searched in the
message) and every expectation must be matched. Any other comment starting
with "stackcheck-" or "expect" followed by ':' is an unknown directive: a
harness error. Findings in other files are matched against directives in
those files (extra inputs, files under NAME.parts/, and any header a
finding names).
"""

import atexit
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

PASS, MISMATCH, HARNESS_ERROR = 0, 1, 2
SEVERITIES = ("error", "warning", "note")
STATUSES = ("exact", "estimated", "incomplete", "unbounded")
DEFAULT_TIMEOUT = 60

HERE = os.path.dirname(os.path.abspath(__file__))
RULES_DEF = os.path.join(HERE, "..", "..", "analyzer", "core", "rules.def")

DIRECTIVE_RE = re.compile(r"^(stackcheck-[A-Za-z-]+|expect(?:-[A-Za-z-]+)?(?:@[+-]\d+)?)\s*(:|$)")


class HarnessError(Exception):
    """A problem with the fixture or the harness, not with stackcheck."""


def iter_fixtures(fixtures_dir):
    """Yields (path, path relative to fixtures_dir) of every fixture, sorted;
    files under NAME.parts/ belong to a multi-file fixture and are skipped
    (the scripts that compare stackcheck with the compilers share this)."""
    for root, dirs, files in os.walk(fixtures_dir):
        dirs[:] = sorted(d for d in dirs if not d.endswith(".parts"))
        for name in sorted(files):
            if name.endswith(".c"):
                path = os.path.join(root, name)
                yield path, os.path.relpath(path, fixtures_dir)


def load_rule_ids():
    """Reads the rule ids from analyzer/core/rules.def (the one table)."""
    try:
        with open(RULES_DEF, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise HarnessError("cannot read rule table %s: %s" % (RULES_DEF, e.strerror))
    ids = re.findall(r'^RULE\(\s*\w+\s*,\s*"([a-z-]+)"', text, re.M)
    if not ids:
        raise HarnessError("no rules found in %s" % RULES_DEF)
    return set(ids)


def comments(text):
    """Yields (line, body) for each comment in C source text; line is 1-based,
    the line where the comment starts. Skips string and character literals."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in "\"'":
            quote = c
            i += 1
            while i < n and text[i] != quote and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield line, text[i + 2:end]
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise HarnessError("line %d: unterminated comment" % line)
            body = text[i + 2:end]
            yield line, body
            line += body.count("\n")
            i = end + 2
        else:
            i += 1


class Fixture:
    def __init__(self, path, rule_ids):
        self.path = os.path.realpath(path)
        self.dir = os.path.dirname(self.path)
        self.rule_ids = rule_ids
        self.args = []
        self.inputs = [self.path]
        self.exit = 0
        self.timeout = DEFAULT_TIMEOUT
        self.all_entries = False
        self.known_fail = None
        self.expects = []        # dicts: file, line, severity, rule, regex, text
        self.expect_nots = []    # dicts: file, line, rule, text
        self.bounds = []         # dicts: entry, status, bytes, text
        self.paths = []          # dicts: entry, path, text
        self.reasons = []        # dicts: entry, regex, text
        self.libraries = []      # dicts: dir, args, text
        self.lib_args = None     # --library TMP arguments, once summarized
        self.no_functions = []   # dicts: name, text
        self.scanned = set()
        self.parse_file(self.path, main=True)
        if any(b["bytes"] is not None for b in self.bounds) and "--target" not in " ".join(self.args):
            raise HarnessError("%s: expect-bound with bytes needs a pinned --target in stackcheck-args"
                               % self.path)
        for extra in self.inputs[1:]:
            self.parse_file(extra, main=False)
        for lib in self.libraries:
            for src in lib["sources"]:
                self.parse_file(src, main=False)
        parts = os.path.splitext(self.path)[0] + ".parts"
        if os.path.isdir(parts):
            for root, dirs, files in os.walk(parts):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith((".c", ".h")):
                        self.parse_file(os.path.join(root, name), main=False)

    def parse_file(self, path, main):
        path = os.path.realpath(path)
        if path in self.scanned:
            return
        self.scanned.add(path)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise HarnessError("cannot read %s: %s" % (path, e.strerror))
        except UnicodeDecodeError:
            return  # not ours to interpret
        for line, body in comments(text):
            body = body.strip()
            m = DIRECTIVE_RE.match(body)
            if not m:
                continue
            where = "%s:%d" % (os.path.relpath(path, self.dir), line)
            name = m.group(1)
            rest = body[m.end():].strip()
            self.directive(path, line, where, name, rest, main)

    def directive(self, path, line, where, name, rest, main):
        def need_main():
            if not main:
                raise HarnessError("%s: '%s' is only allowed in the main fixture file" % (where, name))

        offset = 0
        base = name
        if "@" in name:
            base, off = name.split("@", 1)
            offset = int(off)
            if base not in ("expect", "expect-not"):
                raise HarnessError("%s: '@' offset is only allowed on expect and expect-not" % where)
        if base == "stackcheck-args":
            need_main()
            try:
                words = shlex.split(rest)
            except ValueError as e:
                raise HarnessError("%s: bad stackcheck-args: %s" % (where, e))
            for w in words:
                cand = os.path.join(self.dir, w)
                if not w.startswith("-") and w.endswith((".c", ".h")):
                    if not os.path.isfile(cand):
                        raise HarnessError("%s: extra input '%s' does not exist" % (where, w))
                    self.inputs.append(os.path.realpath(cand))
                else:
                    self.args.append(w)
        elif base == "stackcheck-library":
            need_main()
            try:
                words = shlex.split(rest)
            except ValueError as e:
                raise HarnessError("%s: bad stackcheck-library: %s" % (where, e))
            if not words or not os.path.isdir(os.path.join(self.dir, words[0])):
                raise HarnessError("%s: stackcheck-library wants an existing folder, got '%s'" % (where, rest))
            srcs = sorted(glob.glob(os.path.join(self.dir, words[0], "*.c")))
            if not srcs:
                raise HarnessError("%s: library folder '%s' has no .c file" % (where, words[0]))
            hdrs = sorted(glob.glob(os.path.join(self.dir, words[0], "*.h")))
            self.libraries.append(dict(dir=words[0], args=words[1:], sources=srcs + hdrs,
                                       c=[os.path.relpath(c, self.dir) for c in srcs],
                                       text="%s: %s: %s" % (where, name, rest)))
        elif base == "expect-no-function":
            if not re.fullmatch(r"\S+", rest):
                raise HarnessError("%s: expect-no-function wants one NAME, got '%s'" % (where, rest))
            self.no_functions.append(dict(name=rest, text="%s: %s: %s" % (where, name, rest)))
        elif base == "stackcheck-exit":
            need_main()
            if not re.fullmatch(r"[0-2]", rest):
                raise HarnessError("%s: stackcheck-exit wants 0, 1 or 2, got '%s'" % (where, rest))
            self.exit = int(rest)
        elif base == "stackcheck-timeout":
            need_main()
            if not re.fullmatch(r"\d+", rest) or int(rest) == 0:
                raise HarnessError("%s: stackcheck-timeout wants seconds, got '%s'" % (where, rest))
            self.timeout = int(rest)
        elif base == "stackcheck-selftest":
            need_main()  # read by selftest_regex() before parsing
        elif base == "stackcheck-all-entries":
            need_main()
            if rest:
                raise HarnessError("%s: stackcheck-all-entries takes no argument" % where)
            self.all_entries = True
        elif base == "expect-known-fail":
            need_main()
            m = re.fullmatch(r"#?(\d+)\s+(\S.*)", rest)
            if not m:
                raise HarnessError("%s: expect-known-fail wants ISSUE-NUMBER REASON" % where)
            self.known_fail = "issue %s: %s" % (m.group(1), m.group(2))
        elif base == "expect":
            m = re.fullmatch(r"(\S+)\s+(\S+)(?:\s+/(.*)/)?", rest)
            if not m:
                raise HarnessError("%s: expect wants SEVERITY RULE [/REGEX/], got '%s'" % (where, rest))
            sev, rule, rx = m.group(1), m.group(2), m.group(3)
            if sev not in SEVERITIES:
                raise HarnessError("%s: unknown severity '%s'" % (where, sev))
            self.check_rule(where, rule)
            regex = None
            if rx is not None:
                try:
                    regex = re.compile(rx)
                except re.error as e:
                    raise HarnessError("%s: bad regex /%s/: %s" % (where, rx, e))
            at = " (line %d)" % (line + offset) if offset else ""
            self.expects.append(dict(file=path, line=line + offset, severity=sev, rule=rule,
                                     regex=regex, text="%s: %s: %s%s" % (where, name, rest, at)))
        elif base == "expect-not":
            if not re.fullmatch(r"[a-z-]+", rest):
                raise HarnessError("%s: expect-not wants one RULE, got '%s'" % (where, rest))
            self.check_rule(where, rest)
            self.expect_nots.append(dict(file=path, line=line + offset, rule=rest,
                                         text="%s: %s: %s" % (where, name, rest)))
        elif base == "expect-bound":
            m = re.fullmatch(r"(\S+)\s+(\S+)(?:\s+(\d+))?", rest)
            if not m:
                raise HarnessError("%s: expect-bound wants ENTRY STATUS [BYTES], got '%s'" % (where, rest))
            if m.group(2) not in STATUSES:
                raise HarnessError("%s: unknown bound status '%s'" % (where, m.group(2)))
            self.bounds.append(dict(entry=m.group(1), status=m.group(2),
                                    bytes=None if m.group(3) is None else int(m.group(3)),
                                    text="%s: %s: %s" % (where, name, rest)))
        elif base == "expect-path":
            m = re.fullmatch(r"(\S+)\s+(\S.*)", rest)
            if not m:
                raise HarnessError("%s: expect-path wants ENTRY f -> g -> h" % where)
            steps = [s.strip() for s in m.group(2).split("->")]
            if any(not s for s in steps):
                raise HarnessError("%s: empty step in expect-path" % where)
            self.paths.append(dict(entry=m.group(1), path=steps,
                                   text="%s: %s: %s" % (where, name, rest)))
        elif base == "expect-reason":
            m = re.fullmatch(r"(\S+)\s+/(.*)/", rest)
            if not m:
                raise HarnessError("%s: expect-reason wants ENTRY /REGEX/" % where)
            try:
                regex = re.compile(m.group(2))
            except re.error as e:
                raise HarnessError("%s: bad regex /%s/: %s" % (where, m.group(2), e))
            self.reasons.append(dict(entry=m.group(1), regex=regex,
                                     text="%s: %s: %s" % (where, name, rest)))
        else:
            raise HarnessError("%s: unknown directive '%s'" % (where, name))

    def check_rule(self, where, rule):
        if rule not in self.rule_ids:
            raise HarnessError("%s: unknown rule '%s' (not in rules.def)" % (where, rule))


def selftest_regex(path):
    """Returns the compiled stackcheck-selftest regex of a fixture, or None.
    Read apart from the other directives, so it also covers harness errors."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    for _, body in comments(text):
        m = re.fullmatch(r"\s*stackcheck-selftest:\s*/(.*)/\s*", body)
        if m:
            try:
                return re.compile(m.group(1))
            except re.error as e:
                raise HarnessError("bad stackcheck-selftest regex: %s" % e)
    return None


def selftest_verdict(name, regex, lines):
    """For a self-test: exit 1 when one of the reported lines matches."""
    for line in lines:
        if regex.search(line):
            print("%s: self-test failed as intended (matched /%s/)" % (name, regex.pattern))
            return MISMATCH
    print("%s: SELF-TEST BROKEN: the harness did not report /%s/" % (name, regex.pattern))
    return PASS


def summarize_libraries(stackcheck, fx):
    """Writes each stackcheck-library folder's summaries into a temporary
    folder (removed at exit); returns the --library arguments."""
    if fx.lib_args is not None:
        return fx.lib_args
    fx.lib_args = []
    for lib in fx.libraries:
        tmp = tempfile.mkdtemp(prefix="stackcheck-lib.")
        atexit.register(shutil.rmtree, tmp, True)
        cmd = [stackcheck, "summarize", "-q", "-o", tmp] + lib["args"] + lib["c"]
        try:
            p = subprocess.run(cmd, cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, timeout=fx.timeout)
        except (subprocess.TimeoutExpired, OSError) as e:
            raise HarnessError("%s: summarize failed: %s" % (lib["text"], e))
        if p.returncode != 0:
            raise HarnessError("%s: summarize exited %d: %s" % (
                lib["text"], p.returncode, p.stderr.decode("utf-8", "replace").strip()))
        fx.lib_args += ["--library", tmp]
    return fx.lib_args


def run(stackcheck, fx, fmt):
    """Runs stackcheck in the fixture's folder; returns (exit, stdout, stderr) or
    (None, ...) on timeout."""
    files = [os.path.relpath(p, fx.dir) for p in fx.inputs]
    cmd = ([stackcheck] + (["--format", fmt] if fmt else []) + fx.args
           + summarize_libraries(stackcheck, fx) + files)
    # SC_FIXTURE_TIMEOUT_SCALE=N multiplies the timeout (valgrind runs).
    scale = os.environ.get("SC_FIXTURE_TIMEOUT_SCALE", "1")
    timeout = fx.timeout * (int(scale) if scale.isdigit() and int(scale) > 0 else 1)
    try:
        p = subprocess.run(cmd, cwd=fx.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % timeout, cmd
    except OSError as e:
        raise HarnessError("cannot run %s: %s" % (stackcheck, e.strerror))
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"), cmd)


def check(fx, code, report, problems):
    """Compares one parsed JSON report with the fixture; appends to problems."""
    if code != fx.exit:
        problems.append("exit status %s, expected %d" % (code, fx.exit))
    if report is None:
        return
    if report.get("schema") != "stackcheck-report/1":
        problems.append("report schema is %r, expected 'stackcheck-report/1'" % report.get("schema"))

    findings = []
    for f in report.get("findings", []):
        if f.get("suppressed"):
            continue
        file = f.get("file") or ""
        full = os.path.realpath(os.path.join(fx.dir, file)) if file else ""
        findings.append(dict(file=full, shown=file, line=f.get("line"), column=f.get("column"),
                             severity=f.get("severity"), rule=f.get("rule"),
                             message=f.get("message") or ""))

    # Headers named by findings may hold expectations too (a header outside
    # NAME.parts/). Other files are never read: a finding there is unexpected.
    for f in findings:
        if f["file"].endswith(".h") and f["file"] not in fx.scanned and os.path.isfile(f["file"]):
            fx.parse_file(f["file"], main=False)

    # Bipartite matching of findings to expectations (augmenting paths, BFS,
    # no recursion), so a regex never steals another finding's expectation.
    cand = []
    for f in findings:
        cand.append([i for i, e in enumerate(fx.expects)
                     if e["file"] == f["file"] and e["line"] == f["line"]
                     and e["severity"] == f["severity"] and e["rule"] == f["rule"]
                     and (e["regex"] is None or e["regex"].search(f["message"]))])
    match_e, match_f = {}, {}
    for fi in range(len(findings)):
        parent, seen, queue, found = {}, set(), [fi], None
        while queue and found is None:
            cur = queue.pop(0)
            for ei in cand[cur]:
                if ei in seen:
                    continue
                seen.add(ei)
                parent[ei] = cur
                if ei not in match_e:
                    found = ei
                    break
                queue.append(match_e[ei])
        ei = found
        while ei is not None:
            fcur = parent[ei]
            prev = match_f.get(fcur)
            match_e[ei], match_f[fcur] = fcur, ei
            ei = None if fcur == fi else prev

    def show(f):
        return "%s:%s:%s: %s: %s [%s]" % (f["shown"], f["line"], f["column"], f["severity"],
                                          f["message"], f["rule"])

    for fi, f in enumerate(findings):
        if fi not in match_f:
            problems.append("unexpected finding: " + show(f))
    for ei, e in enumerate(fx.expects):
        if ei not in match_e:
            problems.append("missing finding: " + e["text"])
    for n in fx.expect_nots:
        for f in findings:
            if f["file"] == n["file"] and f["line"] == n["line"] and f["rule"] == n["rule"]:
                problems.append("forbidden finding (%s): %s" % (n["text"], show(f)))

    names = {f.get("name") for f in report.get("functions", [])}
    for n in fx.no_functions:
        if n["name"] in names:
            problems.append("function '%s' is in the report (%s)" % (n["name"], n["text"]))

    entries = report.get("entries", [])
    for b in fx.bounds:
        same = [e for e in entries if e.get("function") == b["entry"]]
        if not same:
            problems.append("missing entry '%s' (%s)" % (b["entry"], b["text"]))
            continue
        ok = [e for e in same if e.get("status") == b["status"]
              and (b["bytes"] is None or e.get("bytes") == b["bytes"])]
        if not ok:
            got = ", ".join("%s %s" % (e.get("status"), e.get("bytes")) for e in same)
            problems.append("entry '%s' is %s (%s)" % (b["entry"], got, b["text"]))
    if fx.all_entries:
        stated = {b["entry"] for b in fx.bounds}
        for e in entries:
            if e.get("function") not in stated:
                problems.append("entry '%s' (%s %s) has no expect-bound (stackcheck-all-entries)"
                                % (e.get("function"), e.get("status"), e.get("bytes")))
    for p in fx.paths:
        same = [e for e in entries if e.get("function") == p["entry"]]
        if not same:
            problems.append("missing entry '%s' (%s)" % (p["entry"], p["text"]))
            continue
        got = [[s.get("function") for s in e.get("path", [])] for e in same]
        if p["path"] not in got:
            problems.append("entry '%s' path is %s (%s)" % (
                p["entry"], " | ".join(" -> ".join(g) for g in got), p["text"]))


    for p in fx.reasons:
        same = [e for e in entries if e.get("function") == p["entry"]]
        if not same:
            problems.append("missing entry '%s' (%s)" % (p["entry"], p["text"]))
            continue
        texts = [r.get("reason", "") if isinstance(r, dict) else str(r)
                 for e in same for r in e.get("reasons", [])]
        if not any(p["regex"].search(t) for t in texts):
            problems.append("entry '%s' has no reason matching /%s/: %s (%s)" % (
                p["entry"], p["regex"].pattern, texts, p["text"]))


def update_bytes(stackcheck, fixtures):
    """Rewrites BYTES of every `expect-bound: ENTRY STATUS BYTES` whose entry
    has that status in a real run, in the main fixture file. Exit 0, or 2."""
    rc = PASS
    for fixture in fixtures:
        try:
            fx = Fixture(fixture, load_rule_ids())
            code, out, err, _ = run(os.path.abspath(stackcheck), fx, "json")
            if code is None or code == 2:
                raise HarnessError("stackcheck failed (exit %s): %s" % (code, err.strip()))
            entries = json.loads(out).get("entries", [])
        except (HarnessError, ValueError) as e:
            print("%s: not updated: %s" % (fixture, e))
            rc = HARNESS_ERROR
            continue

        def repl(m):
            same = [e for e in entries if e.get("function") == m.group(2)
                    and e.get("status") == m.group(3)]
            if len(same) != 1 or not isinstance(same[0].get("bytes"), int):
                return m.group(0)
            return "%s%d" % (m.group(1), same[0]["bytes"])

        with open(fx.path, encoding="utf-8") as f:
            text = f.read()
        new = re.sub(r"(expect-bound:\s*(\S+)\s+(\S+)\s+)\d+", repl, text)
        if new != text:
            with open(fx.path, "w", encoding="utf-8") as f:
                f.write(new)
            print("%s: updated" % fixture)
    return rc


def main(argv):
    if len(argv) >= 4 and argv[1] == "--update-bytes":
        return update_bytes(argv[2], argv[3:])
    if len(argv) != 3:
        sys.stderr.write("usage: run_fixture.py STACKCHECK FIXTURE.c\n"
                         "       run_fixture.py --update-bytes STACKCHECK FIXTURE.c...\n")
        return HARNESS_ERROR
    stackcheck, fixture = os.path.abspath(argv[1]), argv[2]
    name = os.path.basename(fixture)
    try:
        selftest = selftest_regex(fixture)
    except HarnessError:
        selftest = None
    try:
        fx = Fixture(fixture, load_rule_ids())
        if not os.access(stackcheck, os.X_OK):
            raise HarnessError("stackcheck binary %s is missing or not executable" % stackcheck)
        code, out, err, cmd = run(stackcheck, fx, "json")
        problems = []
        report = None
        if code is None:
            problems.append("stackcheck " + err)
        else:
            try:
                report = json.loads(out) if out.strip() else None
            except ValueError as e:
                problems.append("stackcheck's JSON output does not parse: %s" % e)
            if report is None and fx.exit != 2 and not problems:
                problems.append("stackcheck printed no JSON report")
            check(fx, code, report, problems)
    except HarnessError as e:
        print("%s: HARNESS ERROR: %s" % (name, e))
        if selftest is not None:
            return selftest_verdict(name, selftest, ["HARNESS ERROR: %s" % e])
        return HARNESS_ERROR

    if not problems:
        if fx.known_fail:
            msg = "XPASS (marked expect-known-fail: %s): remove the mark" % fx.known_fail
            print("%s: %s" % (name, msg))
            if selftest is not None:
                return selftest_verdict(name, selftest, [msg])
            return MISMATCH
        print("%s: PASS" % name)
        if selftest is not None:
            return selftest_verdict(name, selftest, [])
        return PASS

    print("%s: FAIL" % name)
    print("command: (cd %s && %s)" % (shlex.quote(fx.dir), " ".join(shlex.quote(c) for c in cmd)))
    for p in problems:
        print("  " + p)
    tcode, tout, terr, _ = run(stackcheck, fx, None)
    print("--- stackcheck text output (exit %s) ---" % tcode)
    sys.stdout.write(tout)
    if terr:
        print("--- stderr ---")
        sys.stdout.write(terr)
    if err and code is not None:
        print("--- stderr of the JSON run ---")
        sys.stdout.write(err)
    if selftest is not None:
        if report is None:
            print("%s: SELF-TEST BROKEN: stackcheck gave no report to check" % name)
            return PASS
        return selftest_verdict(name, selftest, problems)
    if fx.known_fail:
        print("%s: XFAIL (%s)" % (name, fx.known_fail))
        return PASS
    return MISMATCH


if __name__ == "__main__":
    sys.exit(main(sys.argv))

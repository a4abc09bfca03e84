#!/usr/bin/env python3
"""gcc's own call graph and frames, compared with stackcheck's.

Helper of tests/bench/accuracy.sh (not part of the test suite).

  gcc_callgraph.py compile --db DB --level -O0 --out DIR [-j N]
      compiles every file of DB/compile_commands.json with gcc, its -I/-D/-U/-std
      flags and -fstack-usage -fcallgraph-info=su, objects (and the .su/.ci
      files gcc writes beside them) in DIR
  gcc_callgraph.py analyze --project P --level L --ci DIR --report SC.json
                           [--estimate EST.json --su0 DIR] [--cycles] --out RESULT.json
      links the .ci files of DIR into one graph, computes the worst case of
      every root, compares it with stackcheck's report, and optionally the
      AST estimate with gcc's -O0 frames and the recursive SCCs of both graphs
  gcc_callgraph.py report RESULT.json...
      prints the tables and every difference

The .ci files are VCG text, one per translation unit:
  node: { title: "T" label: "NAME\\nFILE:LINE:COL\\nN bytes (static)" }   a definition
  node: { title: "printf" label: "printf\\n/usr/include/stdio.h:356:12" shape : ellipse }
                                               a callee without a body in this unit
  node: { title: "__indirect_call" label: "Indirect Call Placeholder" shape : ellipse }
  edge: { sourcename: "T1" targetname: "T2" label: "FILE:LINE:COL" }   a call
A function with internal linkage (static, and gcc's clones f.part.0,
f.constprop.0, ...) has the title "SOURCE:NAME" (SOURCE as given to gcc); one
with external linkage is titled by its bare name, so the units link by title.
"""
import argparse
import collections
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

RED_ZONE = 128  # x86-64 SysV: stackcheck adds it to a leaf's .su frame; so do we

INDIRECT = ("indirect",)


def die(msg):
    print("gcc_callgraph.py: " + msg, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- compile

def keep_flags(argv):
    out, k = [], 1
    while k < len(argv):
        a = argv[k]
        if a in ("-I", "-D", "-U", "-include", "-isystem") and k + 1 < len(argv):
            out += [a, argv[k + 1]]
            k += 2
            continue
        if a.startswith(("-I", "-D", "-U", "-std=", "-isystem")):
            out.append(a)
        k += 1
    return out


def cmd_compile(args):
    db = json.load(open(os.path.join(args.db, "compile_commands.json")))
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    jobs = []
    for i, e in enumerate(db):
        argv = e.get("arguments") or shlex.split(e["command"])
        stem = os.path.splitext(os.path.basename(e["file"]))[0]
        obj = os.path.join(out, "%04d-%s.o" % (i, stem))
        cmd = [args.cc, args.level, "-w", "-fstack-usage", "-fcallgraph-info=su"]
        cmd += keep_flags(argv) + ["-c", e["file"], "-o", obj]
        jobs.append((cmd, e.get("directory", ".")))

    def run(job):
        cmd, cwd = job
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return cmd, p

    failed = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for cmd, p in ex.map(run, jobs):
            if p.returncode != 0:
                failed += 1
                print("gcc_callgraph.py: failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]), file=sys.stderr)
    for cmd, _ in jobs:
        base = cmd[-1][:-2]
        for ext in (".su", ".ci"):
            if not os.path.exists(base + ext):
                failed += 1
                print("gcc_callgraph.py: gcc wrote no %s for %s" % (base + ext, cmd[-3]), file=sys.stderr)
    if failed:
        sys.exit(2)


# ---------------------------------------------------------------- gcc graph

NODE_RE = re.compile(r'^node: \{ title: "([^"]*)" label: "([^"]*)"(?: shape : (\w+))? \}$')
EDGE_RE = re.compile(r'^edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"(?: label: "([^"]*)")? \}$')
BYTES_RE = re.compile(r"^(\d+) bytes \(([a-z,]+)\)$")


def base_name(name):
    """f.part.0, f.constprop.0.isra.0, f.cold -> f"""
    return name.split(".", 1)[0]


class Graph:
    """One linked call graph. Nodes are keys; self.info[key] holds
    kind ('def', 'ext', 'indirect'), name, file, line, frame, qual."""

    def __init__(self):
        self.info = {}
        self.succ = collections.defaultdict(dict)  # key -> {callee key: indirect?}

    def add_edge(self, a, b, indirect=False):
        d = self.succ[a]
        d[b] = d.get(b, False) or indirect

    def ident(self, key):
        """Identity shared with the other graph: (name, file basename, line) of a
        definition, ('ext', name) of a function without body."""
        i = self.info[key]
        if i["kind"] == "def":
            return (base_name(i["name"]), os.path.basename(i["file"]), i["line"])
        if i["kind"] == "ext":
            return ("ext", i["name"])
        return INDIRECT


def parse_ci_dir(d):
    files = sorted(f for f in os.listdir(d) if f.endswith(".ci"))
    if not files:
        die("no .ci files in " + d)
    g = Graph()
    glob_defs = {}
    pending = []  # (tu, src title, dst title)
    ext_seen = {}
    for tu, fn in enumerate(files):
        for lineno, line in enumerate(open(os.path.join(d, fn), encoding="utf-8", errors="replace"), 1):
            line = line.rstrip("\n")
            if line.startswith("graph: {") or line == "}" or not line.strip():
                continue
            m = NODE_RE.match(line)
            if m:
                title, label, shape = m.groups()
                parts = label.split("\\n")
                if title == "__indirect_call":
                    continue
                key = ("s", tu, title) if ":" in title else ("g", title)
                if shape == "ellipse":
                    if key[0] == "g":
                        ext_seen.setdefault(title, parts)
                    continue
                if len(parts) != 3:
                    die("%s:%d: unexpected node label %r" % (fn, lineno, label))
                loc = parts[1].rsplit(":", 2)
                b = BYTES_RE.match(parts[2])
                if len(loc) != 3 or not b:
                    die("%s:%d: unexpected node label %r" % (fn, lineno, label))
                info = {"kind": "def", "name": parts[0], "file": loc[0], "line": int(loc[1]),
                        "frame": int(b.group(1)), "qual": b.group(2), "tu": fn}
                if key[0] == "g":
                    old = glob_defs.get(title)
                    if old and old["frame"] >= info["frame"]:
                        continue
                    glob_defs[title] = info
                g.info[key] = info
                continue
            m = EDGE_RE.match(line)
            if m:
                pending.append((tu, m.group(1), m.group(2)))
                continue
            die("%s:%d: unexpected line %r" % (fn, lineno, line))
    g.info[INDIRECT] = {"kind": "indirect", "name": "__indirect_call"}

    def key_of(tu, title):
        if title == "__indirect_call":
            return INDIRECT
        if ":" in title:
            return ("s", tu, title)
        k = ("g", title)
        if k not in g.info:
            parts = ext_seen.get(title, [title])
            g.info[k] = {"kind": "ext", "name": title}
        return k

    for tu, a, b in pending:
        ka, kb = key_of(tu, a), key_of(tu, b)
        if ka not in g.info:
            die("edge from unknown node %r" % a)
        if kb not in g.info:  # a static callee never declared as a node
            g.info[kb] = {"kind": "ext", "name": b.split(":")[-1]}
        g.add_edge(ka, kb, kb == INDIRECT)
    return g


# ---------------------------------------------------------------- stackcheck graph

def load_sc(path):
    """stackcheck's JSON report as a Graph; keys are indexes into functions[]."""
    r = json.load(open(path))
    fs = r["functions"]
    g = Graph()
    by_name = collections.defaultdict(list)
    for i, f in enumerate(fs):
        by_name[f["name"]].append(i)
        if f["external"]:
            g.info[i] = {"kind": "ext", "name": f["name"]}
        else:
            g.info[i] = {"kind": "def", "name": f["name"], "file": f["file"] or "", "line": f["line"] or 0,
                         "frame": f["frame"]["bytes"], "source": f["frame"]["source"],
                         "max": f["max_stack"]["bytes"], "status": f["max_stack"]["status"],
                         "recursive": f["recursive"], "usr": f["usr"] or ""}
    g.info[INDIRECT] = {"kind": "indirect", "name": "<unresolved>"}

    def tu_of(f):
        usr = f.get("usr") or ""
        m = re.match(r"c:([^@]+)@F@", usr)
        return m.group(1) if m else os.path.basename(f.get("file") or "")

    def resolve(caller, name):
        cands = by_name.get(name, [])
        if len(cands) == 1:
            return cands[0]
        if not cands:
            return None
        tu = tu_of(fs[caller])
        for c in cands:
            if fs[c]["linkage"] == "internal" and tu_of(fs[c]) == tu:
                return c
        for c in cands:
            if fs[c]["linkage"] == "external" and not fs[c]["external"]:
                return c
        for c in cands:
            if fs[c]["linkage"] == "external":
                return c
        return cands[0]

    for i, f in enumerate(fs):
        g.succ[i]  # every function has a (possibly empty) entry
        for c in f["calls"]:
            if c["callee"] is None:
                g.add_edge(i, INDIRECT, True)
                continue
            k = resolve(i, c["callee"])
            if k is None:
                die("%s: callee %r of %r not in functions[]" % (path, c["callee"], f["name"]))
            g.add_edge(i, k, c["indirect"])
    return g, r


# ---------------------------------------------------------------- analyses

def tarjan(nodes, succ):
    """Iterative Tarjan. Returns SCCs (lists) in reverse topological order:
    every SCC comes after the SCCs it reaches."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(succ.get(w, ()))))
                    pushed = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def cyclic_sccs(g, direct_only=False):
    succ = g.succ
    if direct_only:
        succ = {k: {c: i for c, i in d.items() if not i} for k, d in g.succ.items()}
    res = []
    for comp in tarjan(list(g.info), succ):
        if len(comp) > 1 or comp[0] in succ.get(comp[0], ()):
            res.append(comp)
    return res


def worst_cases(g):
    """Per node: (worst bytes, complete?, next node on the deepest path)."""
    res = {}
    for comp in tarjan(list(g.info), g.succ):
        cyc = len(comp) > 1 or comp[0] in g.succ.get(comp[0], ())
        members = set(comp)
        for v in comp:
            i = g.info[v]
            if i["kind"] != "def":
                res[v] = (0, False, None)
                continue
            ok = not cyc and i["qual"] in ("static", "dynamic,bounded")
            callees = g.succ.get(v, {})
            frame = i["frame"] + (RED_ZONE if not callees else 0)
            best, nxt = 0, None
            for c in callees:
                if c in members:
                    ok = False
                    continue
                w, cok, _ = res[c]
                ok = ok and cok
                if nxt is None or w > best:
                    best, nxt = w, c
            res[v] = (frame + best, ok, nxt)
    return res


def reach(g, start):
    seen, stack = {start}, [start]
    while stack:
        v = stack.pop()
        for c in g.succ.get(v, ()):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return seen


def path_str(g, res, v, limit=12):
    out = []
    while v is not None and len(out) < limit:
        i = g.info[v]
        out.append("%s (%d)" % (i["name"], i.get("frame", 0)))
        v = res[v][2]
    return " -> ".join(out)


def sc_path(sg, v, limit=12):
    """stackcheck's deepest path from v: follow the callee of largest max."""
    out, seen = [], set()
    while v is not None and len(out) < limit and v not in seen:
        seen.add(v)
        i = sg.info[v]
        out.append("%s (%d)" % (i["name"], i.get("frame", 0)))
        best, nxt = -1, None
        for c in sg.succ.get(v, ()):
            ci = sg.info[c]
            if ci["kind"] == "def" and ci["max"] > best and c != v:
                best, nxt = ci["max"], c
        v = nxt
    return " -> ".join(out)


def classify(g, sg, groot, sroot, level):
    """Why gcc's worst case of groot differs from stackcheck's: the categories
    found, each with the functions or calls concerned."""
    rg, rs = reach(g, groot), reach(sg, sroot)
    ids_g = {g.ident(k): k for k in rg}
    ids_s = {sg.ident(k): k for k in rs}
    gdefs = {g.ident(k) for k, i in g.info.items() if i["kind"] == "def"}
    cats = collections.OrderedDict()
    touched = set()  # functions whose calls differ: their leaf status follows from it

    def add(cat, what):
        cats.setdefault(cat, set()).add(what)

    def edges(gr, ks):
        out = set()
        for k in ks:
            if gr.info[k]["kind"] != "def":
                continue
            for c, ind in gr.succ.get(k, {}).items():
                out.add((gr.ident(k), gr.ident(c), ind))
        return out

    def nm(i):
        return i[1] if i[0] == "ext" else i[0]

    eg, es = edges(g, rg), edges(sg, rs)
    eg2 = {(a, b) for a, b, _ in eg}
    es2 = {(a, b) for a, b, _ in es}
    inlined = False
    for a, b, ind in sorted(es, key=str):
        if (a, b) in eg2 or a not in ids_g:
            continue
        touched.add(a)
        if ind:
            add("stackcheck resolved a function-pointer call gcc's graph lacks", "%s -> %s" % (nm(a), nm(b)))
        elif b[0] == "ext":
            add("gcc expanded a library call inline (builtin)", "%s -> %s" % (a[0], b[1]))
        elif level != "-O0":
            inlined = True
            add("gcc inlined the call (its frame merged into the caller's)",
                "%s -> %s%s" % (a[0], b[0], "" if b in gdefs else " (no out-of-line copy: stackcheck estimates it)"))
        else:
            add("call only in stackcheck's graph (gcc folded the branch holding it away, or compiles another #if branch)",
                "%s -> %s" % (a[0], b[0]))
    for a, b, ind in sorted(eg, key=str):
        if (a, b) in es2 or a not in ids_s:
            continue
        touched.add(a)
        if b[0] == "ext":
            add("call only in gcc's graph (compiler-inserted or builtin)", "%s -> %s" % (a[0], b[1]))
        elif inlined:
            add("call of an inlined callee, now made by its caller", "%s -> %s" % (a[0], b[0]))
        else:
            add("call only in gcc's graph", "%s -> %s" % (a[0], b[0]))
    # Frames stackcheck did not find in the .su files (and not explained above).
    for k in rs:
        i = sg.info[k]
        if i["kind"] == "def" and i["source"] == "estimate" and sg.ident(k) in gdefs:
            add("no .su frame matched (stackcheck estimates it)", i["name"])
    # Same function, different frame.
    for idn, k in ids_g.items():
        if g.info[k]["kind"] != "def" or idn not in ids_s:
            continue
        si = sg.info[ids_s[idn]]
        gi = g.info[k]
        gf = gi["frame"] + (RED_ZONE if not g.succ.get(k) else 0)
        if si["kind"] == "def" and si["source"] != "estimate" and si["frame"] != gf:
            leaf_g, leaf_s = not g.succ.get(k), not sg.succ.get(ids_s[idn])
            if leaf_g != leaf_s:
                if idn not in touched:
                    add("red zone: a leaf in one graph only", gi["name"])
            else:
                add("different frame for the same function", "%s (gcc %d, stackcheck %d)" % (gi["name"], gf, si["frame"]))
    if not cats:
        add("unexplained", "")
    return cats


def sc_index(sg):
    idx = collections.defaultdict(list)
    for k, i in sg.info.items():
        if i["kind"] == "def":
            idx[(i["name"], os.path.basename(i["file"]), i["line"])].append(k)
    return idx


def cmd_analyze(args):
    g = parse_ci_dir(args.ci)
    sg, report = load_sc(args.report)
    idx = sc_index(sg)
    res = worst_cases(g)
    called = set()
    for a, d in g.succ.items():
        for b in d:
            if b != a:
                called.add(b)
    roots = [k for k, i in g.info.items() if i["kind"] == "def" and k not in called]
    out = {"project": args.project, "level": args.level, "roots": len(roots), "complete": 0,
           "agree": 0, "missing": [], "diffs": [], "gcc_functions": sum(1 for i in g.info.values() if i["kind"] == "def"),
           "all_roots_agree": 0}
    for k in sorted(roots, key=lambda k: (g.info[k]["file"], g.info[k]["line"])):
        i = g.info[k]
        w, ok, _ = res[k]
        ident = (base_name(i["name"]), os.path.basename(i["file"]), i["line"])
        cands = idx.get(ident, [])
        if not cands:
            if ok:
                out["complete"] += 1
                out["missing"].append("%s (%s:%d)" % (i["name"], i["file"], i["line"]))
            continue
        s = max(cands, key=lambda c: sg.info[c]["max"])
        sw = sg.info[s]["max"]
        if sw == w:
            out["all_roots_agree"] += 1
        if not ok:
            continue
        out["complete"] += 1
        if sw == w:
            out["agree"] += 1
            continue
        cats = classify(g, sg, k, s, args.level)
        out["diffs"].append({"function": i["name"], "file": i["file"], "line": i["line"], "gcc": w, "sc": sw,
                             "sc_status": sg.info[s]["status"],
                             "gcc_path": path_str(g, res, k), "sc_path": sc_path(sg, s),
                             "categories": {c: sorted(v) for c, v in cats.items()}})
    # Every function with a complete graph below it, not only the roots.
    out["funcs_complete"] = out["funcs_agree"] = 0
    out["func_cats"] = collections.Counter()
    out["func_diffs"] = []
    for k, i in g.info.items():
        if i["kind"] != "def" or not res[k][1]:
            continue
        cands = idx.get((base_name(i["name"]), os.path.basename(i["file"]), i["line"]), [])
        out["funcs_complete"] += 1
        if not cands:
            out["func_cats"]["not in stackcheck's report"] += 1
            continue
        s = max(cands, key=lambda c: sg.info[c]["max"])
        if sg.info[s]["max"] == res[k][0]:
            out["funcs_agree"] += 1
            continue
        cats = classify(g, sg, k, s, args.level)
        out["func_cats"][next(iter(cats))] += 1
        if args.level == "-O0":
            out["func_diffs"].append("%s (%s:%d): gcc %d, stackcheck %d: %s" % (
                i["name"], os.path.basename(i["file"]), i["line"], res[k][0], sg.info[s]["max"],
                "; ".join("%s: %s" % (c, ", ".join(sorted(v)[:4])) for c, v in cats.items())))
    if args.estimate:
        out["estimate"] = estimate_vs_gcc(args.estimate, args.su0)
    if args.cycles:
        out["cycles"] = cycles(g, sg)
    json.dump(out, open(args.out, "w"), indent=1)


def read_su_dir(d):
    recs = {}
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".su"):
            continue
        for line in open(os.path.join(d, fn)):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            loc = parts[0].rsplit(":", 3)
            if len(loc) != 4:
                continue
            key = (loc[3], os.path.basename(loc[0]), int(loc[1]))
            recs[key] = max(recs.get(key, 0), int(parts[1]))
    return recs


def estimate_vs_gcc(est_path, su_dir):
    su = read_su_dir(su_dir)
    r = json.load(open(est_path))
    ratios, below = [], []
    seen = set()
    for f in r["functions"]:
        if f["external"]:
            continue
        key = (f["name"], os.path.basename(f["file"] or ""), f["line"] or 0)
        if key in seen or key not in su:
            continue
        seen.add(key)
        e, gcc = f["frame"]["bytes"], su[key]
        if gcc <= 0:
            continue
        ratios.append(e / gcc)
        if e < gcc:
            below.append("%s (%s:%d): estimate %d < gcc %d" % (f["name"], key[1], key[2], e, gcc))
    if not ratios:
        die("no function of %s matched a .su record of %s" % (est_path, su_dir))
    return {"functions": len(ratios), "at_least": len(ratios) - len(below), "min": min(ratios),
            "median": statistics.median(ratios), "max": max(ratios), "below": below, "ratios": ratios,
            "unmatched_su": len(set(su) - seen)}


def cycles(g, sg):
    gs = cyclic_sccs(g)
    ss = cyclic_sccs(sg)
    sd = cyclic_sccs(sg, direct_only=True)
    sd_sets = {frozenset(sg.ident(k) for k in c) for c in sd}
    s_sets = [frozenset(sg.ident(k) for k in c) for c in ss]

    def names(gr, comp):
        return sorted(gr.info[k]["name"] for k in comp)

    out = {"gcc": [], "sc_only": []}
    gset = {frozenset(g.ident(k) for k in c) for c in gs}
    out["direct_equal"] = len(gset & sd_sets)
    out["direct_total"] = len(sd_sets)
    out["direct_diff"] = [{"side": side, "members": sorted(m[0] for m in x)}
                          for side, xs in (("gcc only", gset - sd_sets), ("stackcheck direct only", sd_sets - gset))
                          for x in xs]
    g_sets = []
    for c in sorted(gs, key=lambda c: (-len(c), names(g, c))):
        ids = frozenset(g.ident(k) for k in c)
        g_sets.append(ids)
        container = next((s for s in s_sets if ids <= s), None)
        out["gcc"].append({"size": len(c), "members": names(g, c), "contained": container is not None,
                           "sc_size": len(container) if container else 0,
                           "equal": container == ids})
    for c, ids in sorted(zip(ss, s_sets), key=lambda p: (-len(p[0]), names(sg, p[0]))):
        if ids in g_sets:
            continue
        inner_ind = any(ind for k in c for t, ind in sg.succ.get(k, {}).items() if t in c and ind)
        fp = ids not in sd_sets and inner_ind
        grows = [gi for gi in g_sets if gi <= ids]
        out["sc_only"].append({"size": len(c), "members": names(sg, c), "through_fp": fp,
                               "contains_gcc": [len(x) for x in grows]})
    return out


# ---------------------------------------------------------------- report

def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def cmd_report(args):
    rs = [json.load(open(p)) for p in args.results]
    print("\n## stackcheck --frames su vs gcc's call graph (worst case per root)\n")
    print("| project | level | gcc functions | roots | complete roots | exact agreement | rate | complete functions | exact agreement | rate |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    tot = collections.Counter()
    catcount = collections.Counter()
    for r in rs:
        print("| %s | %s | %d | %d | %d | %d | %s | %d | %d | %s |" % (
            r["project"], r["level"], r["gcc_functions"], r["roots"], r["complete"], r["agree"],
            pct(r["agree"], r["complete"]), r["funcs_complete"], r["funcs_agree"],
            pct(r["funcs_agree"], r["funcs_complete"])))
        for k in ("roots", "complete", "agree", "funcs_complete", "funcs_agree"):
            tot[r["level"] + k] += r[k]
    for lv in sorted({r["level"] for r in rs}):
        print("| all | %s | | %d | %d | %d | %s | %d | %d | %s |" % (
            lv, tot[lv + "roots"], tot[lv + "complete"], tot[lv + "agree"],
            pct(tot[lv + "agree"], tot[lv + "complete"]), tot[lv + "funcs_complete"],
            tot[lv + "funcs_agree"], pct(tot[lv + "funcs_agree"], tot[lv + "funcs_complete"])))
    print("\n### Differences on complete roots (gcc figure vs stackcheck figure, and why)\n")
    for r in rs:
        for m in r["missing"]:
            print("- %s %s: %s: not in stackcheck's report" % (r["project"], r["level"], m))
            catcount[(r["level"], "root not in stackcheck's report")] += 1
        for d in r["diffs"]:
            cats = d["categories"]
            print("- %s %s: %s (%s:%d): gcc %d, stackcheck %d (%s)" % (
                r["project"], r["level"], d["function"], os.path.basename(d["file"]), d["line"],
                d["gcc"], d["sc"], d["sc_status"]))
            for c, what in cats.items():
                shown = ", ".join(what[:6]) + (", ... (%d)" % len(what) if len(what) > 6 else "")
                print("    %s: %s" % (c, shown))
            print("    gcc:        %s" % d["gcc_path"])
            print("    stackcheck: %s" % d["sc_path"])
            catcount[(r["level"], next(iter(cats)))] += 1
    below = collections.Counter()
    for r in rs:
        for d in r["diffs"]:
            if d["sc"] < d["gcc"]:
                below[(r["level"], d["sc_status"] in ("exact", "estimated"))] += 1
    for lv in sorted({r["level"] for r in rs}):
        n = tot[lv + "complete"] - tot[lv + "agree"]
        print("\n%s: %d differences; stackcheck below gcc on %d (%d of them with status exact or estimated)" % (
            lv, n, below[(lv, True)] + below[(lv, False)], below[(lv, True)]))
    if catcount:
        print("\n| level | first reason | complete roots |\n|---|---|---|")
        for (lv, c), n in sorted(catcount.items()):
            print("| %s | %s | %d |" % (lv, c, n))
    fc = collections.Counter()
    for r in rs:
        for c, n in r["func_cats"].items():
            fc[(r["level"], c)] += n
    if fc:
        print("\n| level | first reason | complete functions |\n|---|---|---|")
        for (lv, c), n in sorted(fc.items()):
            print("| %s | %s | %d |" % (lv, c, n))
    for r in rs:
        for d in r["func_diffs"]:
            print("- %s %s: %s" % (r["project"], r["level"], d))
    est = [r for r in rs if "estimate" in r]
    if est:
        print("\n## AST estimate (own frame) vs gcc -O0 -fstack-usage\n")
        print("| project | functions | estimate >= gcc | min | median | max |")
        print("|---|---|---|---|---|---|")
        allr = []
        for r in est:
            e = r["estimate"]
            print("| %s | %d | %d (%s) | %.2f | %.2f | %.2f |" % (
                r["project"], e["functions"], e["at_least"], pct(e["at_least"], e["functions"]),
                e["min"], e["median"], e["max"]))
        n = sum(r["estimate"]["functions"] for r in est)
        a = sum(r["estimate"]["at_least"] for r in est)
        allr = [x for r in est for x in r["estimate"]["ratios"]]
        print("| all | %d | %d (%s) | %.2f | %.2f | %.2f |" % (
            n, a, pct(a, n), min(allr), statistics.median(allr), max(allr)))
        for r in est:
            for b in r["estimate"]["below"]:
                print("- %s: %s" % (r["project"], b))
    cyc = [r for r in rs if "cycles" in r]
    for r in cyc:
        c = r["cycles"]
        print("\n## Recursive SCCs of %s (gcc -O0 call graph vs stackcheck)\n" % r["project"])
        print("gcc: %d SCCs, %d contained in a stackcheck SCC (%d identical); stackcheck only: %d (%d through function pointers)\n" % (
            len(c["gcc"]), sum(x["contained"] for x in c["gcc"]), sum(x["equal"] for x in c["gcc"]),
            len(c["sc_only"]), sum(x["through_fp"] for x in c["sc_only"])))
        print("stackcheck's SCCs over direct calls only: %d, identical to gcc's: %d of %d" % (
            c["direct_total"], c["direct_equal"], len(c["gcc"])))
        for x in c["direct_diff"]:
            print("- %s: %s" % (x["side"], " ".join(x["members"])))
        print()
        print("| gcc SCC size | in stackcheck | members |\n|---|---|---|")
        for x in c["gcc"]:
            where = ("same SCC" if x["equal"] else "inside one of %d" % x["sc_size"]) if x["contained"] else "MISSED"
            print("| %d | %s | %s |" % (x["size"], where, " ".join(x["members"])))
        if c["sc_only"]:
            print("\n| stackcheck-only SCC size | kind | members |\n|---|---|---|")
            for x in c["sc_only"]:
                kind = "through function pointers" if x["through_fp"] else "direct calls"
                if x["contains_gcc"]:
                    kind += "; holds gcc SCCs of size " + ",".join(map(str, x["contains_gcc"]))
                mem = x["members"]
                shown = " ".join(mem[:40]) + (" ... (%d more)" % (len(mem) - 40) if len(mem) > 40 else "")
                print("| %d | %s | %s |" % (x["size"], kind, shown))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compile")
    c.add_argument("--db", required=True)
    c.add_argument("--level", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--cc", default="gcc")
    c.add_argument("-j", "--jobs", type=int, default=2)
    a = sub.add_parser("analyze")
    a.add_argument("--project", required=True)
    a.add_argument("--level", required=True)
    a.add_argument("--ci", required=True)
    a.add_argument("--report", required=True)
    a.add_argument("--estimate")
    a.add_argument("--su0")
    a.add_argument("--cycles", action="store_true")
    a.add_argument("--out", required=True)
    r = sub.add_parser("report")
    r.add_argument("results", nargs="+")
    args = ap.parse_args()
    {"compile": cmd_compile, "analyze": cmd_analyze, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()

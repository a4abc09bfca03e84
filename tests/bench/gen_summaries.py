#!/usr/bin/env python3
"""Writes a synthetic program as stackcheck summaries (the format of
analyzer/summary/summary_json.c), so that `stackcheck link DIR` measures the
link step and the analyses alone, without parsing.

Each function calls up to three functions of higher index (an acyclic
graph, so the worst path is long), every 1000th calls back into its
predecessor (small cycles), and a few call externals."""
import argparse
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--functions", type=int, default=1000000)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--version", required=True, help="stackcheck version the summaries claim")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rnd = random.Random(42)
    os.makedirs(a.out, exist_ok=True)
    per = max(1, a.functions // a.files)
    n = a.functions
    for fi in range(a.files):
        lo, hi = fi * per, min(n, (fi + 1) * per)
        if lo >= hi:
            break
        path = "gen/f%04d.c" % fi
        funcs = []
        for i in range(lo, hi):
            calls = []
            for k in range(rnd.randint(0, 3)):
                j = i + 1 + rnd.randint(0, 50)
                if j < n:
                    calls.append(j)
            if i % 1000 == 999:
                calls.append(i - 1)
            cs = [{"kind": "direct", "usr": "c:@F@fn%d" % j, "name": "fn%d" % j, "internal": False,
                   "noreturn": False, "type": None, "field": None, "loc": [0, 2 + i - lo, 5],
                   "block": 0, "reachable": True, "args": [[4, 0, 0, -1]]} for j in calls]
            if i % 5000 == 0:
                cs.append({"kind": "direct", "usr": "c:@F@ext%d" % (i % 7), "name": "ext%d" % (i % 7),
                           "internal": False, "noreturn": False, "type": None, "field": None,
                           "loc": [0, 2 + i - lo, 9], "block": 0, "reachable": True, "args": []})
            funcs.append({"name": "fn%d" % i, "usr": "c:@F@fn%d" % i, "linkage": "external",
                          "loc": [0, 2 + i - lo, 5], "end": [0, 2 + i - lo, 60], "flags": [],
                          "max_depth": 0, "ret": [4, 0],
                          "params": [["n", 4, 4, 0, False, False]],
                          "locals": [["buf", 8 * (1 + i % 13), 8, False, [0, 2 + i - lo, 20]]],
                          "blocks": [[1]], "calls": cs})
        doc = {"format": "stackcheck-summary", "version": 2, "stackcheck": a.version,
               "libclang": "synthetic", "path": path, "target": "x86_64-linux-gnu",
               "files": [path], "functions": funcs, "refs": []}
        with open(os.path.join(a.out, "f%04d.json" % fi), "w") as f:
            json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

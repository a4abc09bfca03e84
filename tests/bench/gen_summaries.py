#!/usr/bin/env python3
"""Writes a synthetic program as stackcheck summaries, so that `stackcheck
link DIR` measures the link step and the analyses alone, without parsing.

--format json (default) writes the JSON form (analyzer/summary/summary_json.c),
--format scs the binary form (analyzer/summary/summary_bin.c, laid out in
docs/summary-format.md; the C reader is the authority). Both describe the
same program and give the same report.

Each function calls up to three functions of higher index (an acyclic
graph, so the worst path is long), every 1000th calls back into its
predecessor (small cycles), and a few call externals."""
import argparse
import json
import os
import random

# ---- the binary form (docs/summary-format.md) ----

SCS_MAGIC = b"SCSUMB\0\1"
SCS_FORMAT_VERSION = 4  # SUM_FORMAT_VERSION, analyzer/summary/summary.h
SCS_LAYOUT_VERSION = 3  # SUM_BIN_VERSION, analyzer/summary/summary_bin.h
# ORDER FUNCTION FLAGS: the bits of a function's flags (summary_bin.c).
SCS_FN_FLAGS = {"void": 2, "variadic": 4, "noreturn": 8, "address_taken": 16, "alloca": 32,
                "interrupt": 64}
SCS_FN_INTERNAL = 1
SCS_CALL_INDIRECT, SCS_CALL_INTERNAL, SCS_CALL_NORETURN, SCS_CALL_REACHABLE, SCS_CALL_GUARDS = 1, 2, 4, 8, 16
SCS_PARAM_UNSIGNED, SCS_PARAM_MODIFIED = 8, 16
SCS_ARG_HAS_FN, SCS_ARG_FN_INTERNAL = 8, 16


def put_u(out, v):
    """Appends v (>= 0) as an unsigned LEB128 varint. JSON numbers may come
    as floats (cJSON writes 2^53 - 1 as 9.007199254740991e+15): exact."""
    if v < 0x80:
        out.append(int(v))
        return
    v = int(v)
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def put_s(out, v):
    """Appends a signed value, zigzag-encoded (0, -1, 1, -2 -> 0, 1, 2, 3)."""
    put_u(out, (v << 1) if v >= 0 else ((-v - 1) << 1) | 1)


def i64(v):
    """A signed 64-bit value as the JSON form holds it: a number, or a
    decimal string beyond 2^53."""
    return int(v)


def to_scs(doc):
    """Encodes one summary given in its JSON form (a dict) as bytes."""
    table = {}   # string -> reference (index + 1; 0 is null)
    order = []
    body = bytearray()

    def ref(s):
        if s is None:
            return 0
        r = table.get(s)
        if r is None:
            order.append(s)
            r = table[s] = len(order)
        return r

    def put_str(s):
        put_u(body, ref(s))

    files = doc["files"]

    def put_loc(loc):
        fi, line, col = loc
        put_str(files[fi] if fi >= 0 else None)
        put_u(body, line)
        put_u(body, col)

    put_str(doc["path"])
    put_str(doc["target"])
    put_u(body, len(doc["functions"]))
    for f in doc["functions"]:
        put_str(f["name"])
        put_str(f["usr"])
        bits = SCS_FN_INTERNAL if f["linkage"] == "internal" else 0
        for flag in f["flags"]:
            bits |= SCS_FN_FLAGS[flag]
        put_u(body, bits)
        put_loc(f["loc"])
        put_loc(f["end"])
        put_u(body, f["max_depth"])
        put_u(body, f["ret"][0])
        put_u(body, f["ret"][1])
        put_u(body, len(f["params"]))
        for name, size, align, cls, unsigned, modified in f["params"]:
            put_str(name)
            put_u(body, size)
            put_u(body, align)
            put_u(body, cls | (SCS_PARAM_UNSIGNED if unsigned else 0) | (SCS_PARAM_MODIFIED if modified else 0))
        put_u(body, len(f["locals"]))
        for name, size, align, vla, loc in f["locals"]:
            put_str(name)
            put_u(body, size)
            put_u(body, align)
            put_u(body, 1 if vla else 0)
            put_loc(loc)
        put_u(body, len(f["blocks"]))
        put_u(body, sum(len(b) - 1 for b in f["blocks"]))
        for b in f["blocks"]:
            put_u(body, (len(b) - 1) << 2 | b[0])
            for s in b[1:]:
                put_u(body, s)
        put_u(body, len(f["calls"]))
        for c in f["calls"]:
            guards = c.get("guards")
            put_u(body, (SCS_CALL_INDIRECT if c["kind"] == "indirect" else 0) |
                  (SCS_CALL_INTERNAL if c["internal"] else 0) | (SCS_CALL_NORETURN if c["noreturn"] else 0) |
                  (SCS_CALL_REACHABLE if c["reachable"] else 0) | (SCS_CALL_GUARDS if guards is not None else 0))
            put_str(c["usr"])
            put_str(c["name"])
            put_str(c["type"])
            put_str(c["field"])
            put_str(c.get("targets"))
            put_loc(c["loc"])
            put_u(body, c["block"])
            put_u(body, c.get("via_param", 0))
            put_u(body, len(c["args"]))
            for a in c["args"]:
                has_fn = len(a) == 7
                put_u(body, a[0])
                put_u(body, a[1] | (SCS_ARG_HAS_FN if has_fn else 0) |
                      (SCS_ARG_FN_INTERNAL if has_fn and a[6] else 0))
                put_u(body, a[2] + 1)
                put_s(body, i64(a[3]))
                if has_fn:
                    put_str(a[4])
                    put_str(a[5])
            if guards is not None:
                put_u(body, len(guards))
                for g in guards:
                    put_u(body, g[0])
                    put_u(body, g[1])
                    put_s(body, i64(g[2]))
                    put_str(g[3] if len(g) > 3 else None)  # member key; none here
        writes = f.get("writes", [])
        put_u(body, len(writes))
        for key in writes:
            put_str(key)
    put_u(body, len(doc["refs"]))
    for usr, name, internal, typ, field in doc["refs"]:
        put_str(usr)
        put_str(name)
        put_u(body, 1 if internal else 0)
        put_str(typ)
        put_str(field)
    deps = doc.get("deps", [])
    put_u(body, len(deps))
    for d in deps:
        put_str(d)

    head = bytearray(SCS_MAGIC)
    put_u(head, SCS_FORMAT_VERSION)
    put_u(head, SCS_LAYOUT_VERSION)
    for s in (doc["stackcheck"], doc["libclang"]):
        b = s.encode()
        put_u(head, len(b))
        head += b
    blob = b"".join(s.encode() + b"\0" for s in order)
    put_u(head, len(order))
    put_u(head, len(blob))
    return bytes(head) + blob + bytes(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--functions", type=int, default=1000000)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--version", required=True, help="stackcheck version the summaries claim")
    ap.add_argument("--format", choices=("json", "scs"), default="json",
                    help="json (default) or scs, the binary form")
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
        doc = {"format": "stackcheck-summary", "version": SCS_FORMAT_VERSION, "stackcheck": a.version,
               "libclang": "synthetic", "path": path, "target": "x86_64-linux-gnu",
               "files": [path], "functions": funcs, "refs": []}
        if a.format == "scs":
            with open(os.path.join(a.out, "f%04d.scs" % fi), "wb") as f:
                f.write(to_scs(doc))
        else:
            with open(os.path.join(a.out, "f%04d.json" % fi), "w") as f:
                json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

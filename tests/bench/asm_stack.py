#!/usr/bin/env python3
"""The stack cost of a C library's assembler functions, read from their objects.

stackcheck reads C; a function a library writes in assembler (musl's
x86-64 memcpy, memset, memmove, setjmp) is an external of unknown cost to
the programs linked against the library's summaries. Most of them are
leaves that never move the stack pointer: their whole cost is what the call
itself pushes (x86-64: the 8-byte return address; ARM: nothing, the return
address stays in lr). This script disassembles each assembler object of the
build (objdump) and keeps only functions that provably are such leaves:

  - no instruction that moves or writes the stack pointer (x86-64: push,
    pop, call, enter, leave, or any write to %rsp/%esp; ARM: push, pop, bl,
    blx, vpush, stm/ldm with sp!, a pre- or post-indexed sp, any write to
    sp), no indirect jump;
  - a jump to another symbol (a tail call) only to a function that is such
    a leaf itself.

Anything else is left out (it stays an external of unknown cost). The
result is a stackcheck config: {"externals": {"memcpy": 8, ...}}.

Usage: asm_stack.py --arch x86_64|arm --objdump CMD --nm CMD BEAR_DB OUT.json
BEAR_DB is bear's record of the build (the commands that assembled them,
with -o OBJECT). Exit 0; 2 on bad input.
"""

import argparse
import json
import os
import re
import subprocess
import sys

X86_MOVES_SP = {"push", "pushq", "pushf", "pushfq", "pop", "popq", "popf", "popfq", "call", "callq",
                "enter", "enterq", "leave", "leaveq", "syscall"}
ARM_MOVES_SP = {"push", "pop", "bl", "blx", "vpush", "vpop", "svc", "swi"}


def objects(db):
    """(source, object) of every assembler command in bear's record."""
    out = []
    for e in db:
        src = e.get("file", "")
        if not src.endswith((".s", ".S")):
            continue
        args = e.get("arguments") or e.get("command", "").split()
        obj = e.get("output")
        if not obj and "-o" in args:
            obj = args[args.index("-o") + 1]
        if not obj:
            continue
        if not os.path.isabs(obj):
            obj = os.path.join(e.get("directory", "."), obj)
        if os.path.exists(obj):
            out.append((src, obj))
    return out


def bodies(objdump, obj):
    """{label: [instruction text, ...]} from objdump's listing of obj."""
    # -r: an object is not linked, so a jump to another object's symbol
    # shows only as a relocation after the instruction; it is written into
    # the instruction as its target here.
    text = subprocess.run([objdump, "-d", "-r", "-w", "--no-show-raw-insn", obj], capture_output=True,
                          text=True, check=False).stdout
    res, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            cur = m.group(1) if re.fullmatch(r"[A-Za-z_.$][\w.$]*", m.group(1)) else None
            if cur is not None:
                res[cur] = []
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+R_\S+\s+([A-Za-z_.$][\w.$]*)", line)
        if m and cur is not None and res[cur]:
            res[cur][-1] += " <%s>" % m.group(1)
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+(.*)$", line)
        if m and cur is not None:
            ins = m.group(1).strip()
            rel = re.search(r"\s[0-9a-f]+:\s+R_\S+\s+([A-Za-z_.$][\w.$]*)", ins)  # -w: on the same line
            if rel:
                ins = ins[:rel.start()] + " <%s>" % rel.group(1)
            res[cur].append(ins)
    return res


def aliases(nm, obj):
    """{label: [other global names at the same address in the same section]}."""
    text = subprocess.run([nm, "--defined-only", obj], capture_output=True, text=True,
                          check=False).stdout
    by_addr = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWw":
            by_addr.setdefault(parts[0], []).append((parts[2], parts[1] in "TW"))
    return by_addr


def verdict(arch, name, insns):
    """(leaf, tail-call targets) or (False, None) when it moves the stack."""
    targets = set()
    for ins in insns:
        op, _, rest = ins.partition(" ")
        op = op.strip().lower()
        rest = rest.strip()
        if arch == "x86_64":
            if op in X86_MOVES_SP or op.startswith("rep") and "call" in rest:
                return False, None
            operands = rest.split("#")[0].strip()
            dest = operands.rsplit(",", 1)[-1].strip() if operands else ""
            if re.fullmatch(r"%[re]?sp", dest) and not op.startswith(("cmp", "test", "bt")):
                return False, None
            if op.startswith("j"):
                if "*" in operands:
                    return False, None
                found = re.findall(r"<([^+>]+)(?:\+0x[0-9a-f]+)?>", rest)
                if found and found[-1] != name:
                    targets.add(found[-1])
        else:
            base = re.sub(r"(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)$", "", op)
            if op in ARM_MOVES_SP or base in ARM_MOVES_SP or "sp!" in rest or re.search(r"\[sp[^\]]*\]!", rest) \
                    or re.search(r"\[sp\],", rest):
                return False, None
            dest = rest.split(",", 1)[0].strip()
            if dest == "sp" and not op.startswith(("cmp", "cmn", "tst", "teq", "str")):
                return False, None
            if base in ("bx", "mov") and "pc" in rest and base == "mov" and "lr" not in rest:
                return False, None  # a computed jump
            if base in ("b",):
                found = re.findall(r"<([^+>]+)(?:\+0x[0-9a-f]+)?>", rest)
                if found and found[-1] != name:
                    targets.add(found[-1])
            if base == "bx" and rest.strip() != "lr":
                return False, None
            if re.match(r"ldm", base) and re.search(r"\b(pc|sp)\b", rest.split(",", 1)[-1]):
                return False, None  # loads the stack pointer or returns through memory
    return True, targets


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", choices=("x86_64", "arm"), required=True)
    ap.add_argument("--objdump", default="objdump")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("db")
    ap.add_argument("out")
    a = ap.parse_args(argv[1:])
    try:
        with open(a.db, encoding="utf-8") as f:
            db = json.load(f)
    except (OSError, ValueError) as e:
        print("asm_stack.py: %s: %s" % (a.db, e), file=sys.stderr)
        return 2
    ret = 8 if a.arch == "x86_64" else 0
    leaf, deps, names = {}, {}, {}
    for _, obj in objects(db):
        addr = aliases(a.nm, obj)
        for label, insns in bodies(a.objdump, obj).items():
            ok, targets = verdict(a.arch, label, insns)
            leaf[label] = ok
            deps[label] = targets or set()
            same = [n for ns in addr.values() if any(x == label for x, _ in ns) for n in ns]
            names[label] = sorted({n for n, glob in same if glob} | ({label} if not same else set()))
    # A tail call keeps a function a leaf only when its target is one.
    label_of = {n: label for label in names for n in names[label]}  # memcpy's __memcpy_fwd
    changed = True
    while changed:
        changed = False
        for label, ok in leaf.items():
            if ok and any(not leaf.get(label_of.get(t, t), False) for t in deps[label]):
                leaf[label] = False
                changed = True
    externals = {}
    for label, ok in sorted(leaf.items()):
        if ok:
            for n in names[label]:
                externals[n] = ret
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"externals": externals}, f, indent=2, sort_keys=True)
        f.write("\n")
    kept = sorted(externals)
    left = sorted(l for l, ok in leaf.items() if not ok)
    print("asm_stack.py: %d assembler functions that never move the stack pointer (%d bytes each): %s"
          % (len(kept), ret, " ".join(kept)))
    print("asm_stack.py: left out (they move it, or jump somewhere unknown): %s" % " ".join(left))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

# Library folders: `stackcheck summarize` writes one summary per file and an
# index, --library (and config "libraries") pulls only what the program
# needs, with -p, FILEs and `link`; rewriting a folder drops stale members;
# the first library wins; an external only library code calls is listed
# once; every bad folder exits 2 naming the file (the fixtures under
# fixtures/library check the analysis itself).
source "$(dirname "$0")/common.bash"

P="$T/proj"
mkdir -p "$P/lib" "$P/lib2" "$P/build"
cat >"$P/lib/io.c" <<'C'
int _write_r(int fd, const char *buf, int n);
int lib_puts(const char *s) { return _write_r(1, s, 2); }
int lib_putc(int c) { char b[1]; b[0] = (char)c; return _write_r(1, b, 1); }
C
cat >"$P/lib/str.c" <<'C'
int lib_putc(int c);
int lib_print(const char *s) { int n = 0; while (s[n]) lib_putc(s[n++]); return n; }
C
cat >"$P/lib/unused.c" <<'C'
int lib_unused(int n) { return lib_unused(n + 1); }
C
cat >"$P/lib2/other.c" <<'C'
int lib_puts(const char *s) { char big[2000]; big[0] = s[0]; return big[0]; }
int lib2_only(void) { return 7; }
C
cat >"$P/main.c" <<'C'
int lib_puts(const char *s);
int lib_print(const char *s);
int lib2_only(void);
int main(void) { return lib_puts("a") + lib_print("b") + lib2_only(); }
C
cd "$P" || fail "cd"
TGT=(--target x86_64-linux-gnu)

check "summarize writes one .scs per file and an index naming them"
run summarize "${TGT[@]}" -o "$T/L" lib/io.c lib/str.c lib/unused.c
expect_rc 0
[ -f "$T/L/index.scsi" ] || fail "no index.scsi"
[ "$(ls "$T/L"/*.scs | wc -l)" -eq 3 ] || fail "expected 3 summaries: $(ls "$T/L")"
# The layout of docs/summary-format.md, read independently of stackcheck.
cat >"$T/index.py" <<'PY'
import os, struct, sys
def read(path):
    b = open(path, "rb").read()
    assert b[:8] == b"SCLIBX\0\1", b[:8]
    h = struct.unpack_from("<10I", b, 8)
    nm, ns, nb, nstr = h[3:7]
    st = 48 + 20 * nm + 20 * ns + 4 * nb
    assert st + nstr == len(b)
    s = lambda o: b[st + o:b.index(b"\0", st + o)].decode()
    mem = [struct.unpack_from("<5I", b, 48 + 20 * i) for i in range(nm)]
    sym = [struct.unpack_from("<5I", b, 48 + 20 * nm + 20 * i) for i in range(ns)]
    return dict(tool=s(h[7]), target=s(h[8]),
                members=[dict(source=s(m[0]), dir=s(m[1]), summary=s(m[2]),
                              defines=[s(sym[k][0]) for k in range(m[3], m[3] + m[4])]) for m in mem])
PY
python3 - "$T/L/index.scsi" <<'PY' || fail "index content"
import os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(sys.argv[1])))
from index import read
x = read(sys.argv[1])
assert x["target"] == "x86_64-linux-gnu", x["target"]
srcs = [m["source"] for m in x["members"]]
assert srcs == ["lib/io.c", "lib/str.c", "lib/unused.c"], srcs
defs = {d for m in x["members"] for d in m["defines"]}
assert defs == {"lib_puts", "lib_putc", "lib_print", "lib_unused"}, defs
for m in x["members"]:
    assert os.path.isfile(os.path.join(os.path.dirname(sys.argv[1]), m["summary"])), m
PY
run summarize "${TGT[@]}" -o "$T/L2" lib2/other.c
expect_rc 0

check "the same input gives the same folder (deterministic names and bytes)"
run summarize "${TGT[@]}" -o "$T/Lsame" lib/io.c lib/str.c lib/unused.c
expect_rc 0
diff -r "$T/L" "$T/Lsame" >/dev/null || fail "two summarize runs differ"

check "--library pulls only what the program reaches; the external is listed once"
run "${TGT[@]}" --stats --format json --library "$T/L" --library "$T/L2" main.c
expect_rc 0
err_has "linked 3 of 4 library summaries"
python3 - "$T/out" <<'PY' || fail "report content"
import json, sys
r = json.load(open(sys.argv[1]))
names = [f["name"] for f in r["functions"]]
assert "lib_unused" not in names, names
assert names.count("_write_r") == 1, names
lib = {f["name"] for f in r["functions"] if f["library"]}
assert lib == {"lib_puts", "lib_putc", "lib_print", "lib2_only"}, lib
assert [e["function"] for e in r["entries"]] == ["main"], r["entries"]
unk = [f for f in r["findings"] if f["rule"] == "unknown-stack-cost"]
assert len(unk) == 1 and "_write_r" in unk[0]["message"], unk
# The first library's lib_puts (no 2000-byte frame) is the one linked.
assert r["entries"][0]["bytes"] < 2000, r["entries"][0]
PY

check "--frames auto: a .su file beside a library source gives its frame, from any folder"
printf 'io.c:2:5:lib_puts\t3000\tstatic\n' >"$P/lib/io.su"
(cd "$T" && run "${TGT[@]}" --format json --library "$T/L" --library "$T/L2" "$P/main.c")
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r['functions'] if f['name'] == 'lib_puts'][0]
assert f['frame']['source'] == 'su' and f['frame']['bytes'] > 3000, f['frame']" "$T/out" || fail "no .su frame"
rm -f "$P/lib/io.su"

check "--entry pulls and keeps a library function the program never calls"
run "${TGT[@]}" --format json --library "$T/L" --library "$T/L2" --entry lib_unused main.c
expect_rc 0
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
e = {e['function']: e for e in r['entries']}
assert set(e) == {'main', 'lib_unused'}, e
assert e['lib_unused']['status'] == 'unbounded', e['lib_unused']
assert not [f for f in r['findings'] if f['rule'] == 'recursion'], r['findings']" "$T/out" || fail "--entry lib_unused"

check "the first library given wins: the other order links lib2's lib_puts"
run "${TGT[@]}" --format json --library "$T/L2" --library "$T/L" main.c
expect_rc 0
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['entries'][0]['bytes'] > 2000, r['entries']" \
    "$T/out" || fail "lib2 did not win"

check "config 'libraries' is relative to the config file's folder"
mkdir -p "$P/conf"
printf '{"libraries": ["../libs/L", "../libs/L2"], "externals": {"_write_r": 16}}\n' >"$P/conf/sc.json"
mkdir -p "$P/libs" && cp -r "$T/L" "$T/L2" "$P/libs/"
run "${TGT[@]}" --config conf/sc.json main.c
expect_rc 0
out_has "main (48) -> lib_print"
grep -q "unknown-stack-cost" "$T/out" && fail "the config's externals did not apply"

check "-p: summarize a compile database; link with --library"
cat >"$P/build/compile_commands.json" <<JSON
[{"directory": "$P", "file": "lib/io.c", "arguments": ["cc", "-c", "lib/io.c"]},
 {"directory": "$P", "file": "lib/str.c", "arguments": ["cc", "-c", "lib/str.c"]}]
JSON
run summarize -p build -o "$T/Lp" "${TGT[@]}"
expect_rc 0
[ "$(ls "$T/Lp"/*.scs | wc -l)" -eq 2 ] || fail "-p: expected 2 summaries"
run --emit-summary "$T/main.scs" "${TGT[@]}" main.c
expect_rc 0
run link "${TGT[@]}" --library "$T/Lp" --library "$T/L2" "$T/main.scs"
expect_rc 0
out_has "main (48) -> lib_print"

check "rewriting a folder removes the members of files no longer given"
run summarize "${TGT[@]}" -o "$T/L" lib/io.c lib/str.c
expect_rc 0
[ "$(ls "$T/L"/*.scs | wc -l)" -eq 2 ] || fail "stale member left: $(ls "$T/L")"
touch "$T/L/notes.txt"
run summarize "${TGT[@]}" -o "$T/L" lib/io.c
expect_rc 0
[ -f "$T/L/notes.txt" ] || fail "a file the index never named was removed"

check "rewriting a folder whose index is of another layout removes its members too (by their names)"
run summarize "${TGT[@]}" -o "$T/Lold" lib/io.c lib/str.c
printf '\001' | dd of="$T/Lold/index.scsi" bs=1 seek=8 conv=notrunc 2>/dev/null
touch "$T/Lold/mine.scs" "$T/Lold/notes.txt"
run summarize "${TGT[@]}" -o "$T/Lold" lib/io.c
expect_rc 0
[ "$(ls "$T/Lold" | grep -c -- '-[0-9a-f]*\.scs$')" -eq 1 ] || fail "str.c's member stayed: $(ls "$T/Lold")"
[ -f "$T/Lold/mine.scs" ] && [ -f "$T/Lold/notes.txt" ] || fail "a file not spelled like a member was removed"

check "summarize: a file that does not parse exits 2; --keep-going leaves it out, exit 1"
printf 'int broken( {\n' >"$P/lib/broken.c"
run summarize "${TGT[@]}" -o "$T/Lk" lib/io.c lib/broken.c
expect_rc 2
[ -e "$T/Lk/index.scsi" ] && fail "an index was written after a parse failure"
run summarize "${TGT[@]}" --keep-going -o "$T/Lk" lib/io.c lib/broken.c
expect_rc 1
[ "$(ls "$T/Lk"/*.scs | wc -l)" -eq 1 ] || fail "--keep-going: expected 1 summary"
rm -f "$P/lib/broken.c"

check "usage: summarize needs -o DIR"
expect_usage "-o DIR" summarize "${TGT[@]}" lib/io.c
expect_usage "--library" summarize "${TGT[@]}" -o "$T/x" --library "$T/L" lib/io.c

# bad_folder DIR MESSAGE: the run exits 2 with one error line naming MESSAGE.
BF_ARGS=()
bad_folder() {
    run "${TGT[@]}" "${BF_ARGS[@]}" --library "$1" main.c
    expect_rc 2
    err_has "$2"
    [ "$(grep -c 'error' "$T/err")" -eq 1 ] || fail "expected one error line"
    [ ! -s "$T/out" ] || fail "a report was written"
}

check "bad folders exit 2 naming the file"
bad_folder "$T/nowhere" "$T/nowhere: library folder does not exist"
mkdir -p "$T/empty"
bad_folder "$T/empty" "$T/empty/index.scsi: no library index here"
mkdir -p "$T/foreign" && echo '{"entries": []}' >"$T/foreign/index.scsi"
bad_folder "$T/foreign" "$T/foreign/index.scsi: not a usable library index: not a stackcheck library index"
mkdir -p "$T/trunc" && head -c 100 "$T/L2/index.scsi" >"$T/trunc/index.scsi"
bad_folder "$T/trunc" "$T/trunc/index.scsi: not a usable library index: truncated at byte 100"
mkdir -p "$T/vers" && cp "$T/L2/index.scsi" "$T/vers/" && printf '\001' | dd of="$T/vers/index.scsi" bs=1 seek=8 conv=notrunc 2>/dev/null
bad_folder "$T/vers" "$T/vers/index.scsi: not a usable library index: index layout 1, this stackcheck reads 2"
mkdir -p "$T/fmt" && cp "$T/L2/index.scsi" "$T/fmt/" && printf '\077' | dd of="$T/fmt/index.scsi" bs=1 seek=12 conv=notrunc 2>/dev/null
bad_folder "$T/fmt" "$T/fmt/index.scsi: not a usable library index: summary format 63"
printf 'int broken( {\n' >"$P/broken.c"
run summarize "${TGT[@]}" --keep-going -o "$T/none" broken.c
expect_rc 1
bad_folder "$T/none" "$T/none/index.scsi: the library index names no summary"

check "a member file that is missing, foreign or corrupt exits 2 naming it (when pulled)"
# lib_puts of lib2 calls nothing: a run takes it at the library's own bound
# and reads no member; --report-library reads them.
BF_ARGS=(--report-library)
M=$(cd "$T" && python3 -c "import sys; from index import read; print(read(sys.argv[1])['members'][0]['summary'])" "$T/L2/index.scsi")
cp -r "$T/L2" "$T/miss" && rm "$T/miss/$M"
bad_folder "$T/miss" "$T/miss/$M: library summary named by its index"
cp -r "$T/L2" "$T/json" && run --emit-summary "$T/other.json" "${TGT[@]}" lib2/other.c
mv "$T/other.json" "$T/json/$M"
bad_folder "$T/json" "$T/json/$M: not a usable summary: not a binary summary"
cp -r "$T/L2" "$T/corrupt" && head -c 40 "$T/L2/$M" >"$T/corrupt/$M"
bad_folder "$T/corrupt" "$T/corrupt/$M: not a usable summary: binary summary: truncated"

BF_ARGS=()

check "a library of another target exits 2 naming both targets"
run summarize --target arm-none-eabi -o "$T/Larm" lib2/other.c
expect_rc 0
bad_folder "$T/Larm" "$T/Larm/index.scsi: summaries for arm-none-eabi, this run is for x86_64-linux-gnu"

check "a member keeps no deps and no static function of a header that nothing in it uses"
mkdir -p trim
cat >trim/helpers.h <<'C'
static inline int used_helper(int x) { return x + 1; }
static inline int unused_helper(int x) { return x - 1; }
C
cat >trim/t.c <<'C'
#include "helpers.h"
int trim_api(int x) { return used_helper(x); }
C
run summarize "${TGT[@]}" -o "$T/Ltrim" trim/t.c
expect_rc 0
M=$(cd "$T/Ltrim" && ls t.c-*.scs)
run link "${TGT[@]}" --format json "$T/Ltrim/$M"
expect_rc 0
python3 - "$T/out" <<'PY' || fail "the member's functions are not trim_api and used_helper"
import json, sys
names = sorted(f["name"] for f in json.load(open(sys.argv[1]))["functions"] if not f.get("external"))
sys.exit(0 if names == ["trim_api", "used_helper"] else 1)
PY

check "a library function whose whole call tree is the library's is taken at its own bound, not read"
mkdir -p own
cat >own/str.c <<'C'
static unsigned long own_len(const char *s) { char buf[48]; buf[0] = 0; unsigned long n = 0; while (s[n]) n++; return n + (unsigned long)buf[0]; }
int own_twice(const char *s) { return (int)own_len(s) * 2; }
int own_other(void) { return 1; }
C
cat >own/main.c <<'C'
int own_twice(const char *s);
int main(void) { return own_twice("x"); }
C
run summarize "${TGT[@]}" -o "$T/Lown" own/str.c
expect_rc 0
run "${TGT[@]}" --library "$T/Lown" --stats --format json own/main.c
expect_rc 0
grep -q "linked 0 of 1 library summaries" "$T/err" || fail "the member was read: $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "own_twice is not taken at the library's bound"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["name"]: x for x in d["functions"]}
assert f["own_twice"]["frame"]["source"] == "library", f["own_twice"]
assert f["own_twice"]["library"] is True
assert "own_len" not in f
open(sys.argv[1] + ".bytes", "w").write(str(d["entries"][0]["bytes"]))
PY
BYTES=$(cat "$T/out.bytes")
# The member read in full gives the same bound: --report-library reads it.
run "${TGT[@]}" --library "$T/Lown" --report-library --stats --format json own/main.c
expect_rc 0
grep -q "linked 1 of 1 library summaries" "$T/err" || fail "--report-library should read the member"
python3 - "$T/out" "$BYTES" <<'PY' || fail "the bound differs when the member is read"
import json, sys
d = json.load(open(sys.argv[1]))
assert str(d["entries"][0]["bytes"]) == sys.argv[2], (d["entries"][0]["bytes"], sys.argv[2])
assert {x["name"]: x for x in d["functions"]}["own_twice"]["frame"]["source"] == "estimate"
PY
# A program that defines a function the library defines reads every member.
cat >own/main2.c <<'C'
int own_twice(const char *s);
int own_other(void) { return 2; }
int main(void) { return own_twice("x") + own_other(); }
C
run "${TGT[@]}" --library "$T/Lown" --stats own/main2.c
expect_rc 0
grep -q "linked 1 of 1 library summaries" "$T/err" || fail "an override should read the members"
# So do declared depths, other frames or estimate models.
printf '{"max_depth": {"x": 2}}\n' >own/md.json
run "${TGT[@]}" --library "$T/Lown" --config own/md.json --stats own/main.c
grep -q "linked 1 of 1 library summaries" "$T/err" || fail "max_depth should read the members"
run "${TGT[@]}" --library "$T/Lown" --estimate-for gcc --stats own/main.c
grep -q "linked 1 of 1 library summaries" "$T/err" || fail "--estimate-for should read the members"
# A library whose build left .su files keeps no own bounds: its frames are
# read from them, member by member.
printf 'str.c:2:5:own_twice\t40\tstatic\n' >own/str.su
run summarize "${TGT[@]}" -o "$T/Lsu" own/str.c
expect_rc 0
run "${TGT[@]}" --library "$T/Lsu" --stats --format json own/main.c
grep -q "linked 1 of 1 library summaries" "$T/err" || fail "a library with .su files should be read"
python3 - "$T/out" <<'PY' || fail "own_twice's frame should come from its .su file"
import json, sys
f = {x["name"]: x for x in json.load(open(sys.argv[1]))["functions"]}
assert f["own_twice"]["frame"]["source"] == "su", f["own_twice"]
PY

check "--help lists summarize, --library and --report-library"
run --help
expect_rc 0
out_has "stackcheck summarize -o DIR"
out_has "--library DIR"
out_has "--report-library"
echo "PASS"

# Writing where it should not: -o and --emit-summary onto an existing FIFO or
# device write into it and never replace the node (a rename over /dev/null
# run as root turned it into a regular file). Regular files stay atomic.
source "$(dirname "$0")/common.bash"

write_good "$T/good.c"

check "-o FIFO: the report goes through the pipe; the FIFO stays a FIFO"
mkfifo "$T/pipe"
timeout 20 cat "$T/pipe" >"$T/piped" &
reader=$!
run --format json -o "$T/pipe" "$T/good.c"
expect_rc 0
wait "$reader"
[ -p "$T/pipe" ] || fail "-o replaced the FIFO with a $(stat -c %F "$T/pipe")"
"$SC_PYTHON" -c 'import json,sys; assert json.load(open(sys.argv[1]))["entries"]' "$T/piped" \
    || fail "the report read from the FIFO is not a complete JSON report"
ls -A "$T" | grep -q '^\.stackcheck-' && fail "a temporary file was left beside the FIFO"

check "--emit-summary FIFO: the summary goes through the pipe; the FIFO stays"
timeout 20 cat "$T/pipe" >"$T/piped" &
reader=$!
run --emit-summary "$T/pipe" "$T/good.c"
expect_rc 0
wait "$reader"
[ -p "$T/pipe" ] || fail "--emit-summary replaced the FIFO with a $(stat -c %F "$T/pipe")"
[ -s "$T/piped" ] || fail "nothing came through the FIFO"

# A character device of our own (the same as /dev/null), when allowed (root);
# never the real /dev/null, which a regression would destroy.
if mknod -m 666 "$T/null" c 1 3 2>/dev/null; then
    check "-o DEVICE and --emit-summary DEVICE (a private copy of /dev/null): still a device"
    run -o "$T/null" "$T/good.c"
    expect_rc 0
    [ -c "$T/null" ] || fail "-o replaced the device node with a $(stat -c %F "$T/null")"
    run --emit-summary "$T/null" "$T/good.c"
    expect_rc 0
    [ -c "$T/null" ] || fail "--emit-summary replaced the device node"
    ls -A "$T" | grep -qE '^\.stackcheck-|\.tmp\.' && fail "a temporary file was left beside the device"
fi

check "a regular -o file is still replaced atomically (new inode)"
printf 'old\n' >"$T/r.txt"
before=$(stat -c %i "$T/r.txt")
run -o "$T/r.txt" "$T/good.c"
expect_rc 0
[ "$(stat -c %i "$T/r.txt")" != "$before" ] || fail "regular -o was not written through a rename"
grep -q main "$T/r.txt" || fail "report missing"

echo "PASS"

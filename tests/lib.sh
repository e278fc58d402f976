# Shared by the shell tests: run errkb, compare, count.  Each test script
# sources this, calls its checks, and ends with `finish`.
set -u
: "${ERRKB:?run through make check}"
: "${TESTDATA:?run through make check}"
failures=0
checks=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: errkb's stdout in $tmp/out, stderr in $tmp/err, status in $rc.
run() {
	"$ERRKB" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

fail() {
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*"
}

ok() {
	checks=$((checks + 1))
}

expect_rc() {
	if [ "$rc" -eq "$1" ]; then ok; else fail "$2: exit status $rc, expected $1"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fi
}

# expect_out NAME: stdout equals stdin.
expect_out() {
	cat >"$tmp/want"
	if cmp -s "$tmp/want" "$tmp/out"; then ok; else fail "$1: output differs"; diff -u "$tmp/want" "$tmp/out" | head -40; fi
}

# expect_grep FILE PATTERN NAME: a fixed string is in out/err.
expect_grep() {
	if grep -qF -- "$2" "$tmp/$1"; then ok; else fail "$3: '$2' not in $1"; head -20 "$tmp/$1" | sed 's/^/  /'; fi
}

expect_no_grep() {
	if grep -qF -- "$2" "$tmp/$1"; then fail "$3: '$2' found in $1"; else ok; fi
}

finish() {
	printf '%s: %d checks, %d failed\n' "${0##*/}" "$((checks + failures))" "$failures"
	[ "$failures" -eq 0 ]
	exit $?
}

#!/bin/sh
# errkb match: lines in, records out, the matched span under the line.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

printf 'all good\n2025-06-01T10:00:00Z db1 postgres[42]: FATAL:  password authentication failed for user "web"\n' >"$tmp/log"
run match --kb small "$tmp/log"
expect_rc 0 "match a file"
expect_out "match text" <<'OUT'
1. db/auth-failed  (regex, 1.44, confidence 0.95)
   FATAL: password authentication failed for user "app"
   line 2: 2025-06-01T10:00:00Z db1 postgres[42]: FATAL:  password authentication failed for user "web"
                                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
OUT

# In Chinese the label is 2 columns a character: the caret still lines up.
printf 'x connect: Connection refused\n' >"$tmp/log2"
run match --kb small --lang zh "$tmp/log2"
expect_out "caret under a Chinese label" <<'OUT'
1. net/conn-refused  (正则表达式, 38.60, 置信度 0.90)
   connect：连接被拒绝
   行 1: x connect: Connection refused
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^
OUT

# From standard input, as JSON.
"$ERRKB" match --kb small --format json <"$tmp/log" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "match stdin json"
expect_grep out '"id":	"db/auth-failed"' "json id"
expect_grep out '"line_no":	2' "json line number"
expect_grep out '"start":	47' "json span start"
expect_grep out '"end":	86' "json span end"

# A whole signature in a line, although the record's regex would miss it.
printf 'x: connect: Connection timed out (after 30s)\n' | "$ERRKB" match --kb small --format json >"$tmp/out" 2>"$tmp/err"
expect_grep out '"id":	"net/timeout"' "words match when the regex does not"

printf 'nothing to see here\n' | "$ERRKB" match --kb small >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 1 "no match"
expect_grep err "nothing matched" "no match message"

# Hostile lines come back sanitized in text output.
printf 'FATAL: sorry, too many clients already \033]0;x\007\n' | "$ERRKB" match --kb small >"$tmp/out" 2>"$tmp/err"
expect_grep out "db/too-many" "hostile line matched"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then fail "ESC in match output"; else ok; fi

# A runaway pattern is reported once and skipped, never a hang.
printf '{"id":"r/evil","signature":"aaaa","domain":"d","category":"c","regex":"(a+)+$"}\n' >"$tmp/evil.jsonl"
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n' >"$tmp/evil.log"
"$ERRKB" match --kb "$tmp/evil.jsonl" "$tmp/evil.log" >"$tmp/out" 2>"$tmp/err"
expect_grep err "r/evil hit ICU's time or stack limit" "runaway regex reported"

run match --kb small /nonexistent/log
expect_rc 2 "missing file"
finish

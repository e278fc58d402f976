#!/bin/sh
# The KB shipped in data/: found without --kb from the build tree, clean
# under `check --strict`, readable in both languages.
. "${top_srcdir:-.}/tests/lib.sh"

run check --strict "$top_srcdir/data/kb"
expect_rc 0 "shipped KB is clean"
if [ "$rc" -ne 0 ]; then cat "$tmp/out"; fi

run list --format tsv
expect_rc 0 "default KB"
n=$(wc -l <"$tmp/out")
if [ "$n" -ge 21 ]; then ok; else fail "default KB lists $n records"; fi

run show communication/sip-401-unauthorized-credentials --lang zh
expect_rc 0 "seed record"
expect_grep out "SIP/2.0 401 未授权" "seed zh signature"
expect_grep out "SIP 服务器拒绝 INVITE 请求" "seed zh root cause"
if grep -qE '^(✓|✗) [0-9]+: \[EN\]' "$tmp/out"; then fail "seed workarounds or dead ends fall back to English"; else ok; fi
expect_no_grep out "Why it fails: [EN]" "seed dead ends translated"
finish

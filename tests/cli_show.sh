#!/bin/sh
# errkb show: every section, both languages, JSON, sanitizing.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

run show --kb small net/conn-refused
expect_rc 0 "show"
expect_out "show text" <<'OUT'
net/conn-refused
connect: Connection refused
中文: connect：连接被拒绝

Root cause
Nothing listens on the port.

Workarounds: what works
✓ 1: Start the server
    works: █████████░  90%
    How: `sudo systemctl start myd`

Dead ends: what does not work
✗ 1: Restart the client
    fails: ████████░░  80%
    Why it fails: The server is still down.

Links
  Leads to: net/timeout
      connect: Connection timed out
      Probability: 0.30
      When: when a firewall drops instead
  Confused with: db/auth-failed
      FATAL: password authentication failed for user "app"
      Distinction: refused happens before any login
  Linked from: net/timeout (comes after this)

About this record
Domain: net / connection_error
Error code: ECONNREFUSED
Confidence 0.90   Fix success 85%   Resolvable true
Evidence: 5
Dates: first seen 2024-01-10   confirmed 2025-06-01   updated 2025-06-01
Tags: tcp
Regex: connect(ion)?\s*(:|to).*refused
File: small/net/conn-refused.json:1
OUT

run show --kb small net/conn-refused --lang zh
expect_grep out "connect：连接被拒绝" "zh signature"
expect_grep out "EN: connect: Connection refused" "en twin shown"
expect_grep out "该端口上没有进程在监听。" "zh root cause"
expect_grep out "✓ 1: 启动服务：\`sudo systemctl start myd\`" "zh workaround"
expect_no_grep out "How:" "zh workaround covers how"
expect_grep out "条件: [EN] when a firewall drops instead" "fallback marked, under a Chinese heading"

run show --kb small db/auth-failed --format json
expect_rc 0 "show json"
expect_grep out '"signature_zh":	"FATAL：用户 \"app\" 的密码认证失败"' "json zh"
expect_grep out '"reviewer":	"ann"' "unknown field kept"
expect_grep out '"source_line":	1' "json source line"

# regex_zh, in either format: after Regex in text, beside regex in JSON,
# and the same when the record comes from the index.
mkdir -p "$tmp/zh"
cat >"$tmp/zh/r.jsonl" <<'KB'
{"id": "z/flat", "signature": "boom: it broke", "signature_zh": "爆炸：它坏了", "regex": "it broke", "regex_zh": "它\\s*坏了", "domain": "z", "category": "c"}
{"schema_version": "1.0.0", "id": "z/canon/linux", "error": {"signature": "boom", "regex": "boom", "regex_zh": "爆炸了", "domain": "z", "category": "c"}}
KB
for cache in --no-cache ""; do
	run $cache show --kb "$tmp/zh" z/flat
	expect_grep out "Regex: it broke" "regex shown ($cache)"
	expect_grep out "Chinese regex: 它\\s*坏了" "regex_zh shown after it ($cache)"
	run $cache show --kb "$tmp/zh" z/flat --format json
	expect_grep out '"regex_zh":	"它\\s*坏了"' "regex_zh in JSON ($cache)"
	run $cache show --kb "$tmp/zh" z/canon/linux --lang zh
	expect_grep out "爆炸了" "canon regex_zh shown ($cache)"
done

run show --kb small no/such
expect_rc 1 "unknown id"
expect_grep err "no record with id 'no/such'" "unknown id message"

# The start of an id will do when it starts no other; an unknown id is
# answered with the closest ones; the start of several lists them.  The
# same from the index and from the sources (--no-cache).
mkdir "$tmp/ids"
for id in net/conn-refused net/conn-reset net/timeout db/auth db/auth-failed \
	  many/r01 many/r02 many/r03 many/r04 many/r05 many/r06 many/r07 many/r08 many/r09 many/r10 many/r11 many/r12; do
	printf '{"id": "%s", "signature": "%s failed", "domain": "%s", "category": "c"}\n' "$id" "$id" "${id%%/*}"
done >"$tmp/ids/all.jsonl"
for cache in "" --no-cache; do
	run $cache show --kb "$tmp/ids" net/time
	expect_rc 0 "unique prefix $cache"
	if [ "$(head -1 "$tmp/out")" = "net/timeout" ]; then ok; else fail "unique prefix $cache: $(head -1 "$tmp/out")"; fi
	run $cache show --kb "$tmp/ids" --format json db/auth-f
	expect_grep out '"id":	"db/auth-failed"' "unique prefix, json $cache"
	# An id that starts others is itself.
	run $cache show --kb "$tmp/ids" db/auth
	expect_rc 0 "whole id that starts another $cache"
	if [ "$(head -1 "$tmp/out")" = "db/auth" ]; then ok; else fail "whole id $cache: $(head -1 "$tmp/out")"; fi
	run $cache show --kb "$tmp/ids" net/conn-re
	expect_rc 2 "ambiguous prefix $cache"
	expect_out "ambiguous prefix shows nothing $cache" </dev/null
	expect_grep err "errkb: show: 'net/conn-re' is the start of 2 ids: 'net/conn-refused' and 'net/conn-reset'; give one of them whole" "ambiguous prefix lists them $cache"
	run $cache show --kb "$tmp/ids" many/
	expect_rc 2 "prefix of many $cache"
	expect_grep err "'many/' is the start of 12 ids: 'many/r01', 'many/r02'," "the first of many $cache"
	expect_grep err "'many/r10', and 2 more" "how many more $cache"
	expect_no_grep err "many/r11" "not all of many $cache"
	run $cache show --kb "$tmp/ids" net/conn-refsued
	expect_rc 1 "mistyped id $cache"
	expect_grep err "errkb: show: no record with id 'net/conn-refsued'; did you mean 'net/conn-refused' or 'net/conn-reset'?" "closest ids $cache"
	run $cache show --kb "$tmp/ids" timeout
	expect_rc 1 "id without its domain $cache"
	expect_grep err "did you mean 'net/timeout'?" "id holding the word $cache"
	run $cache show --kb "$tmp/ids" zzzzzz
	expect_rc 1 "nothing close $cache"
	expect_grep err "no record with id 'zzzzzz'; 'errkb list' lists the ids there are" "nothing close says what to do $cache"
done
run show --kb "$tmp/ids" ''
expect_rc 2 "empty id"
expect_grep err "which record? give its ID" "empty id is no id"

run show --kb bad hostile/esc
expect_rc 0 "hostile"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then fail "ESC byte in show output"; else ok; fi
if LC_ALL=C grep -q "$(printf '\007')" "$tmp/out"; then fail "BEL byte in show output"; else ok; fi
expect_grep out "raw �( bytes" "invalid UTF-8 shown as U+FFFD"
# Where a record comes from: its sources listed, links a reader can open;
# the rates of a record written by hand or a model say they are estimates
# (not those of a record with no such tier, above).
run show --kb sources tls/expired
expect_rc 0 "show sources"
expect_grep out "Sources" "sources heading"
expect_grep out "https://example.org/source-a" "first source"
expect_grep out "https://example.org/source-b" "second source"
expect_grep out "works: █████████░  93% (estimate)" "success rate is an estimate"
expect_grep out "fails: ███████░░░  72% (estimate)" "fail rate is an estimate"
expect_grep out "Fix success 90% (estimate)" "fix success is an estimate"
run show --kb small net/conn-refused
expect_no_grep out "estimate" "no tier: no estimate"
run show --kb sources tls/expired --lang zh
expect_grep out "93%（估计）" "estimate in Chinese"
run show --kb sources tls/expired --format json
expect_grep out '"sources":	["https://example.org/source-a", "https://example.org/source-b", "ftp://example.org/not-web"]' "json sources"
expect_grep out '"success_rate_basis":	"estimate"' "json success basis"
expect_grep out '"fail_rate_basis":	"estimate"' "json fail basis"
expect_grep out '"fix_success_rate_basis":	"estimate"' "json fix basis"

finish

#!/bin/sh
# errkb match: lines in, records out, the matched span under the line.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

printf 'all good\n2025-06-01T10:00:00Z db1 postgres[42]: FATAL:  password authentication failed for user "web"\n' >"$tmp/log"
run match --kb small "$tmp/log"
expect_rc 0 "match a file"
expect_out "match text" <<'OUT'
1. db/auth-failed  (regex on line 2, words 6/7, confidence 0.95)
   FATAL: password authentication failed for user "app"
   line 2: 2025-06-01T10:00:00Z db1 postgres[42]: FATAL:  password authentication failed for user "web"
                                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
OUT

# In Chinese the label is 2 columns a character: the caret still lines up.
printf 'x connect: Connection refused\n' >"$tmp/log2"
run match --kb small --lang zh "$tmp/log2"
expect_out "caret under a Chinese label" <<'OUT'
1. net/conn-refused  (完整签名与正则表达式 于行 1, 词 3/3, 置信度 0.90)
   connect：连接被拒绝
   行 1: x connect: Connection refused
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^
OUT

# Each result says how it matched: a signature whole in the line, words
# alone (the share of the signature's words found), a regex on a line with
# no sign of trouble (ranked after the others).
printf '%s\n' \
	'{"id":"t/words","signature":"disk quota exceeded for volume data","domain":"d","category":"c"}' \
	'{"id":"t/plain","signature":"cache full: eviction falling behind","domain":"d","category":"c","regex":"eviction falling"}' \
	'{"id":"t/regex","signature":"job q7 failed to start","domain":"d","category":"c","regex":"q7 failed"}' >"$tmp/how.jsonl"
printf 'a: cache full, eviction falling behind\nb: job q7 failed\nc: error: disk quota exceeded on volume data\n' >"$tmp/how.log"
run match --kb "$tmp/how.jsonl" "$tmp/how.log"
expect_rc 0 "how it matched"
expect_out "how it matched" <<'OUT'
1. t/regex  (regex on line 2, words 3/5)
   job q7 failed to start
   line 2: b: job q7 failed
                  ^^^^^^^^^
2. t/words  (words 5/6 on line 3)
   disk quota exceeded for volume data
   line 3: c: error: disk quota exceeded on volume data
3. t/plain  (regex on line 1, words 5/5, no sign of trouble)
   cache full: eviction falling behind
   line 1: a: cache full, eviction falling behind
                          ^^^^^^^^^^^^^^^^
OUT
# In the log's order: each line once, its records under it.
run match --kb "$tmp/how.jsonl" --order log "$tmp/how.log"
expect_rc 0 "--order log"
expect_out "--order log" <<'OUT'
line 1: a: cache full, eviction falling behind
                       ^^^^^^^^^^^^^^^^
   3. t/plain  (regex, words 5/5, no sign of trouble)
      cache full: eviction falling behind
line 2: b: job q7 failed
               ^^^^^^^^^
   1. t/regex  (regex, words 3/5)
      job q7 failed to start
line 3: c: error: disk quota exceeded on volume data
   2. t/words  (words 5/6)
      disk quota exceeded for volume data
OUT
run match --kb "$tmp/how.jsonl" -o log --format json "$tmp/how.log"
expect_rc 0 "--order log, JSON"
tr -d '\n\t' <"$tmp/out" >"$tmp/flat"
mv "$tmp/flat" "$tmp/out"
expect_grep out '"rank":3,"id":"t/plain",' "JSON in log order: line 1 first"
expect_grep out '"kind":"words","regex":false,"words_found":5,"words_total":6,"trouble":true,"lines":1' "JSON: kind and figures"
expect_grep out '"kind":"regex","regex":true,"words_found":5,"words_total":5,"trouble":false' "JSON: no trouble said"
run match --kb "$tmp/how.jsonl" --order time "$tmp/how.log"
expect_rc 2 "--order: a bad value"
expect_grep err "--order takes score or log, not 'time'" "--order: a bad value said"

# A line of 5,000 characters is shown as a window around the span, never
# wider than 200 columns into a pipe, "…" where it is cut, the carets
# under the span only.
{
	printf 'x '
	head -c 2500 /dev/zero | tr '\0' a
	printf ' FATAL:  password authentication failed for user "web" '
	head -c 2500 /dev/zero | tr '\0' b
	printf '\n'
} >"$tmp/wide.log"
run match --kb small "$tmp/wide.log"
expect_rc 0 "a 5,000-character line"
wide=$(awk '{ gsub(/…/, "."); if (length($0) > 200) n++ } END { print n + 0 }' "$tmp/out")
if [ "$wide" -eq 0 ]; then ok; else fail "a 5,000-character line: $wide output lines wider than 200"; fi
expect_grep out "   line 1: …aaaa" "a 5,000-character line: cut before the span"
expect_grep out 'FATAL:  password authentication failed for user "web" bbbb' "a 5,000-character line: the span whole"
expect_grep out "bbb…" "a 5,000-character line: cut after the span"
carets=$(tr -cd '^' <"$tmp/out" | wc -c)
if [ "$carets" -eq 39 ]; then ok; else fail "a 5,000-character line: $carets carets, not 39"; fi
# Wide characters count two columns, and a cut never splits a cluster.
{
	printf 'x '
	i=0
	while [ $i -lt 150 ]; do printf '日本語e\314\201'; i=$((i + 1)); done
	printf ' connect: Connection refused\n'
} >"$tmp/cjk.log"
run match --kb small "$tmp/cjk.log"
expect_rc 0 "a wide line of CJK"
expect_grep out "   line 1: …" "a wide line of CJK: cut"
if python3 -c 'import sys' 2>/dev/null; then
	python3 - "$tmp/out" <<'PY' && ok || fail "a wide line of CJK: a line wider than 200 columns or a cut cluster"
import sys, unicodedata
for l in open(sys.argv[1], encoding="utf-8"):
	l = l.rstrip("\n")
	if sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) > 200:
		sys.exit(1)
	if "\u2026\u0301" in l:
		sys.exit(1)
PY
fi

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

# One invalid byte anywhere in a log loses nothing: it is U+FFFD, the
# other lines still match, and the run ends as usual (it used to end with
# "out of memory", exit 2, at random).  Ten runs, as the failure was random.
printf 'Offer only the key meant f\362or this host.\n\377\376 \300\200\n2025-06-01T10:00:00Z db1 postgres[42]: FATAL:  password authentication failed for user "w\351b"\n\355\240\200\n' >"$tmp/bad.log"
i=0
while [ $i -lt 10 ]; do
	"$ERRKB" match --kb small "$tmp/bad.log" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 0 "invalid UTF-8 in a log, run $i"
	expect_grep out "db/auth-failed" "invalid UTF-8 in a log, run $i"
	i=$((i + 1))
done
printf 'only n\362ise here\n' | "$ERRKB" match --kb small >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 1 "invalid UTF-8 and no match"
expect_grep err "nothing matched" "invalid UTF-8 and no match: message"
# The same bytes as a query.
run list --kb small "$(printf 'auth f\362')"
expect_rc 0 "invalid UTF-8 in a query"

# A quantifier right after a non-ASCII letter takes the whole letter: the
# screening literal never ends inside a character.
printf '%s\n' '{"id":"x/fr","signature":"connexion refusée","domain":"d","category":"c","regex":"connexion refusé*e"}' \
	'{"id":"x/ru","signature":"ошибка","domain":"d","category":"c","regex":"ошибка*"}' >"$tmp/utf8re.jsonl"
printf 'x: connexion refusée\nx: ошибк\n' >"$tmp/utf8re.log"
run match --kb "$tmp/utf8re.jsonl" "$tmp/utf8re.log"
expect_rc 0 "regex quantifier after a non-ASCII letter"
expect_grep out "x/fr" "regex quantifier after é"
expect_grep out "x/ru" "regex quantifier after а"

# A line of 3 MiB is matched on its first MiB, said on stderr, and the
# lines after it still count; a NUL byte is only a space.
{
	printf 'FATAL: sorry, too many clients already '
	head -c 3145728 /dev/zero | tr '\0' 'x'
	printf '\nx connect: Connection\000refused\n'
} >"$tmp/long.log"
run match --kb small "$tmp/long.log"
expect_rc 0 "a 3 MiB line"
expect_grep out "db/too-many" "a 3 MiB line: matched on its start"
expect_grep out "net/conn-refused" "the line after a 3 MiB line, with a NUL"
expect_grep out "line 2:" "the line after a 3 MiB line keeps its number"
expect_grep err "long.log:1: line longer than 1048576 bytes" "a 3 MiB line: said"

# Ordinary log lines (data/ordinary.log: dpkg, apt, alternatives,
# syslog, with no error in them) name no record of the shipped KB.
run match "$top_srcdir/data/ordinary.log"
expect_rc 1 "ordinary lines match nothing"
expect_grep err "nothing matched" "ordinary lines match nothing"

run match --kb small /nonexistent/log
expect_rc 2 "missing file"
# A KB with a finding: told once, from the index or not.
mkdir -p "$tmp/fkb"
printf '{"id": "x/a", "signature": "gamma failed", "domain": "x", "category": "c", "regex": "gamma"}\n{"id": "x/b"\n' \
	>"$tmp/fkb/a.jsonl"
for opt in --no-cache ""; do
	# shellcheck disable=SC2086
	"$ERRKB" $opt --kb "$tmp/fkb" match "$tmp/log" >"$tmp/out" 2>"$tmp/err"
	n=$(grep -c 'malformed JSON' "$tmp/err")
	if [ "$n" -eq 1 ]; then ok; else fail "match ${opt:-on the index}: the finding told $n times"; fi
done

# Chinese lines, as programs print them under zh_CN: by regex_zh (the
# caret under its span), by the Chinese signature whole, by its words;
# from the index or not, in either language shown.
mkdir -p "$tmp/zkb"
cat >"$tmp/zkb/r.jsonl" <<'KB'
{"id": "z/re", "signature": "cp: cannot create regular file 'x': Permission denied", "signature_zh": "cp: 无法创建普通文件 'x': 权限不够", "regex": "cannot create regular file", "regex_zh": "无法创建普通文件 .*: 权限不够", "domain": "z", "category": "c", "confidence": 0.9}
{"id": "z/whole", "signature": "collect2: error: ld returned 1 exit status", "signature_zh": "collect2: 错误：ld 返回 1", "regex": "ld returned \\d+ exit status", "domain": "z", "category": "c", "confidence": 0.9}
{"id": "z/words", "signature": "make: *** No rule to make target 'install'.  Stop.", "signature_zh": "make: *** 没有规则可制作目标“install”。 停止。", "regex": "No rule to make target", "domain": "z", "category": "c", "confidence": 0.9}
KB
printf '%s\n' 'cp: 无法创建普通文件 /opt/a: 权限不够' 'collect2: 错误：ld 返回 1' \
	'make[1]: *** 没有规则可制作目标“all”。 停止。' '一切正常' >"$tmp/zlog"
for opt in --no-cache ""; do
	# shellcheck disable=SC2086
	run $opt --kb "$tmp/zkb" match "$tmp/zlog"
	expect_rc 0 "Chinese lines ${opt:-on the index}"
	expect_out "Chinese lines ${opt:-on the index}" <<'OUT'
1. z/whole  (verbatim signature on line 2, words 4/4, confidence 0.90)
   collect2: error: ld returned 1 exit status
   line 2: collect2: 错误：ld 返回 1
2. z/re  (regex on line 1, words 11/11, confidence 0.90)
   cp: cannot create regular file 'x': Permission denied
   line 1: cp: 无法创建普通文件 /opt/a: 权限不够
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
3. z/words  (words 10/11 on line 3, confidence 0.90)
   make: *** No rule to make target 'install'.  Stop.
   line 3: make[1]: *** 没有规则可制作目标“all”。 停止。
OUT
	# shellcheck disable=SC2086
	run $opt --kb "$tmp/zkb" --lang zh match --format json "$tmp/zlog"
	expect_grep out '"signature":	"cp: 无法创建普通文件 '"'x'"': 权限不够"' "Chinese signature shown ${opt:-on the index}"
done
# Without regex_zh nor Chinese signatures, a Chinese line finds nothing.
sed 's/"signature_zh": "[^"]*", //; s/"regex_zh": "[^"]*", //' "$tmp/zkb/r.jsonl" >"$tmp/zkb/r.jsonl.new"
mv "$tmp/zkb/r.jsonl.new" "$tmp/zkb/r.jsonl"
run --no-cache --kb "$tmp/zkb" match "$tmp/zlog"
expect_rc 1 "Chinese lines, no Chinese in the KB"

finish

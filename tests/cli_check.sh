#!/bin/sh
# errkb check: every finding with its place, summaries, exit statuses.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

run check small
expect_rc 0 "clean KB"
expect_out "clean summary" <<'OUT'
4 records in 3 files; 0 skipped; 0 errors, 0 warnings
OUT
# Strict also asks what a reference KB needs: the test KB cites no sources.
run check --strict small
expect_rc 1 "clean KB, strict: no sources"
expect_out "strict summary" <<'OUT'
small/db.jsonl:1: warning: [db/auth-failed] the record cites no sources: list the links it rests on in sources (no-sources)
small/db.jsonl:2: warning: [db/too-many] the record cites no sources: list the links it rests on in sources (no-sources)
small/net/conn-refused.json:1: warning: [net/conn-refused] the record cites no sources: list the links it rests on in sources (no-sources)
small/net/timeout.json:1: warning: [net/timeout] the record cites no sources: list the links it rests on in sources (no-sources)
4 records in 3 files; 0 skipped; 0 errors, 4 warnings (no-sources 4)
OUT

run check bad
expect_rc 1 "errors"
expect_out "findings" <<'OUT'
bad/hostile.jsonl:1:36: warning: [hostile/esc] signature: text holds control or bidi formatting characters; they are shown as placeholders (control-char)
bad/hostile.jsonl:1:182: error: [hostile/esc] root_cause: invalid UTF-8 at byte 4 of the text; shown as U+FFFD (invalid-utf8)
bad/lines.jsonl:1:33: error: [bad/utf8] signature: invalid UTF-8 at byte 4 of the text; shown as U+FFFD (invalid-utf8)
bad/lines.jsonl:2:1: error: malformed JSON (json-syntax)
bad/malformed.json:4:3: error: malformed JSON (json-syntax)
bad/records.json:2: warning: [bad/ok] leads_to link to 'bad/nowhere', which is not in the KB (dangling-link)
bad/records.json:4: error: [bad/ok] duplicate id, first defined at bad/records.json:2; this one is skipped (duplicate-id)
bad/records.json:5:3: error: [bad/nosig] required field 'signature' is missing (missing-field)
bad/records.json:6: error: [bad/values] regex does not compile: U_REGEX_MISMATCHED_PAREN at offset 9 (bad-regex)
bad/records.json:7:18: error: [bad/values] confidence: 1.2 is outside 0..1 (rate-range)
bad/records.json:7:37: error: [bad/values] first_seen: '2024-02-30' is not a date of the form YYYY-MM-DD (bad-date)
bad/records.json:8:20: warning: [bad/values] signature_zh: Chinese twin holds no Chinese text (zh-untranslated)
bad/records.json:9: warning: [bad/miss] regex does not match the record's own signature (regex-mismatch)
bad/records.json:9: warning: [bad/miss] regex matches ordinary log lines (1 of 147, with no error in them), such as: selecting dynamic shared memory implementation ... posix (regex-broad)
5 records in 4 files; 4 skipped; 9 errors, 5 warnings (json-syntax 2, missing-field 1, duplicate-id 1, rate-range 1, bad-date 1, invalid-utf8 2, bad-regex 1, dangling-link 1, regex-mismatch 1, zh-untranslated 1, control-char 1, regex-broad 1)
OUT

# regex_zh: compiled, and tried on the Chinese signature.
cat >"$tmp/zh.jsonl" <<'KB'
{"id":"z/ok","signature":"a failed","signature_zh":"甲：失败","regex":"failed","regex_zh":"甲\\s*[:：]\\s*失败","domain":"d","category":"c"}
{"id":"z/bad","signature":"a failed","signature_zh":"甲失败","regex":"failed","regex_zh":"(甲失败","domain":"d","category":"c"}
{"id":"z/miss","signature":"a failed","signature_zh":"甲失败","regex":"failed","regex_zh":"乙失败","domain":"d","category":"c"}
{"id":"z/nosig","signature":"a failed","regex":"failed","regex_zh":"乙失败","domain":"d","category":"c"}
KB
run check "$tmp/zh.jsonl"
expect_rc 1 "regex_zh findings"
sed "s|$tmp/||g" "$tmp/out" >"$tmp/out.rel" && mv "$tmp/out.rel" "$tmp/out"
expect_out "regex_zh findings" <<'OUT'
zh.jsonl:2: error: [z/bad] regex_zh does not compile: U_REGEX_MISMATCHED_PAREN at offset 4 (bad-regex)
zh.jsonl:3: warning: [z/miss] regex_zh does not match the record's own Chinese signature (regex-mismatch)
4 records in 1 file; 0 skipped; 1 error, 1 warning (bad-regex 1, regex-mismatch 1)
OUT
run check --format json "$tmp/zh.jsonl"
expect_grep out '"message":	"regex_zh does not match the record'"'"'s own Chinese signature"' "regex_zh finding in JSON"

# Warnings alone: exit 0, or 1 with --strict.
printf '{"id":"w/1","signature":"a","domain":"d","category":"c","regex":"zqxjw"}\n' >"$tmp/warn.jsonl"
run check "$tmp/warn.jsonl"
expect_rc 0 "warnings only"
run check --strict "$tmp/warn.jsonl"
expect_rc 1 "warnings only, strict"
# Each count with its noun in the number it needs.
run check "$tmp/warn.jsonl"
expect_grep out "1 record in 1 file; 0 skipped; 0 errors, 1 warning (regex-mismatch 1)" "singular counts"
printf '{"id":"e/1","signature":"a","domain":"d","category":"c","confidence":2}\n' >"$tmp/err.jsonl"
run check "$tmp/err.jsonl"
expect_grep out "1 record in 1 file; 0 skipped; 1 error, 0 warnings" "one error"

run check --format json bad/records.json
expect_rc 1 "json"
expect_grep out '"records":	3' "json records"
expect_grep out '"duplicate-id":	1' "json by kind"
expect_grep out '"kind":	"rate-range"' "json finding kind"
expect_grep out '"column":	18' "json column"
# Link loops in a KB folder: each loop is reported and not followed, each
# record read once.  timeout: a loop followed would not end.
mkdir -p "$tmp/loops/a"
printf '{"id":"l/1","signature":"a","domain":"d","category":"c"}\n' >"$tmp/loops/a/one.json"
printf '{"id":"l/2","signature":"b","domain":"d","category":"c"}\n' >"$tmp/loops/two.json"
ln -s .. "$tmp/loops/a/loop"
ln -s . "$tmp/loops/b"
timeout 20 "$ERRKB" check "$tmp/loops" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "link loops: warnings only"
sed "s|$tmp/||g" "$tmp/out" >"$tmp/out.rel" && mv "$tmp/out.rel" "$tmp/out"
expect_out "link loops" <<'OUT'
loops/a/loop: warning: leads back to loops, a directory it is in (a link loop); not followed (link-loop)
loops/b: warning: leads back to loops, a directory it is in (a link loop); not followed (link-loop)
2 records in 2 files; 0 skipped; 0 errors, 2 warnings (link-loop 2)
OUT
cd "$tmp" && timeout 20 "$ERRKB" list --kb loops >"$tmp/out" 2>"$tmp/err"
rc=$?
cd "$TESTDATA" || exit 99
expect_rc 0 "link loops: list"
expect_out "link loops: list" <<'OUT'
l/1  d  c     -  a
l/2  d  c     -  b
OUT

# Only regular files are read: a device or a FIFO given as a KB path is
# reported by name and kind, not read (/dev/zero never ends, a FIFO with no
# writer would block), and the other paths load.
mkfifo "$tmp/pipe.json"
timeout 20 "$ERRKB" check /dev/zero "$tmp/pipe.json" small >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 1 "special files"
sed "s|$tmp/||g" "$tmp/out" >"$tmp/out.rel" && mv "$tmp/out.rel" "$tmp/out"
expect_out "special files" <<'OUT'
/dev/zero: error: a character device, not a regular file; not read (io)
pipe.json: error: a named pipe (FIFO), not a regular file; not read (io)
4 records in 3 files; 0 skipped; 2 errors, 0 warnings (io 2)
OUT
timeout 20 "$ERRKB" list --kb /dev/zero --kb small >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "special files: list"
expect_grep err "/dev/zero: error: a character device, not a regular file; not read (io)" "special files: list names it"
if [ "$(wc -l <"$tmp/out")" -eq 4 ]; then ok; else fail "special files: list loads the rest"; fi

# No array is cut short: a record with 100,000 workarounds keeps them all
# (a uint16_t count kept 65,535 and said nothing).
awk 'BEGIN {
	printf "{\"id\":\"big/1\",\"signature\":\"boom\",\"domain\":\"d\",\"category\":\"c\",\"workarounds\":["
	for (i = 0; i < 100000; i++)
		printf "%s{\"action\":\"w%d\"}", i ? "," : "", i
	print "]}"
}' >"$tmp/big.json"
run check "$tmp/big.json"
expect_rc 0 "100,000 workarounds: check"
expect_out "100,000 workarounds: check" <<'OUT'
1 record in 1 file; 0 skipped; 0 errors, 0 warnings
OUT
run show --kb "$tmp/big.json" --format json big/1
expect_rc 0 "100,000 workarounds: show"
n=$(grep -c '"action":' "$tmp/out")
if [ "$n" -eq 100000 ]; then ok; else fail "100,000 workarounds: show prints $n"; fi
expect_grep out '"action":	"w99999"' "100,000 workarounds: the last one"
# A regex so broad that it matches ordinary log lines (data/ordinary.log,
# lines with no error in them) is a warning that names the record and
# quotes a line it matches, cut around the match; a narrow one is not.
printf '%s\n' \
	'{"id": "b/broad", "signature": "Removing <path> - git clean deleted untracked files", "domain": "d", "category": "c", "regex": "Removing \\S+"}' \
	'{"id": "b/narrow", "signature": "fatal: could not remove untracked file x", "domain": "d", "category": "c", "regex": "fatal: could not remove"}' \
	>"$tmp/broad.jsonl"
run check "$tmp/broad.jsonl"
expect_rc 0 "broad regex: a warning"
expect_grep out "[b/broad] regex matches ordinary log lines (1 of " "broad regex named"
expect_grep out "such as: Removing obsolete dictionary files: (regex-broad)" "broad regex: a sample line"
expect_no_grep out "b/narrow" "narrow regex: no warning"
run check --strict "$tmp/broad.jsonl"
expect_rc 1 "broad regex, strict"
# The sample is a window around the match, never wider than 72 columns.
printf '%s\n' '{"id": "b/java", "signature": "java: cannot execute binary file", "domain": "d", "category": "c", "regex": "openjdk-amd64/bin/jpackage"}' >"$tmp/broad2.jsonl"
run check --format json "$tmp/broad2.jsonl"
expect_grep out '"kind":	"regex-broad"' "broad regex in JSON"
expect_grep out 'openjdk-amd64/bin/jpackage' "the sample shows the match"
expect_grep out '…' "the sample is cut"

# --strict: what a reference KB needs.  No sources; an evidence_count
# that is not the number of links; an alias the regex misses; a regex
# matching another record's signature, with no link between them (and
# none once they are linked); a Chinese signature repeating the English.
printf '%s\n' \
	'{"id": "r/wide", "signature": "connect: Connection refused", "domain": "d", "category": "c", "regex": "Connection refused", "aliases": ["dial tcp: connection refused", "ECONNREFUSED"], "sources": ["https://example.org/a", "https://example.org/b"], "evidence_count": 2}' \
	'{"id": "r/pg", "signature": "psql: error: connection to server failed: Connection refused", "signature_zh": "psql: error: connection to server failed: Connection refused（连接被拒绝）", "domain": "d", "category": "c", "regex": "connection to server .*failed", "sources": ["https://example.org/c"], "evidence_count": 3}' \
	'{"id": "r/none", "signature": "disk quota exceeded", "domain": "d", "category": "c", "regex": "quota exceeded"}' \
	>"$tmp/ref.jsonl"
run check "$tmp/ref.jsonl"
expect_rc 0 "reference checks only with --strict"
expect_no_grep out "no-sources" "no reference findings without --strict"
run check --strict "$tmp/ref.jsonl"
expect_rc 1 "reference findings count under --strict"
expect_grep out "[r/none] the record cites no sources" "no sources"
expect_no_grep out "[r/wide] the record cites no sources" "sources listed"
expect_grep out "[r/pg] evidence_count is 3, but the record lists 1 sources (evidence-count)" "evidence count"
expect_grep out "[r/wide] alias 'ECONNREFUSED' is not matched by the record's own regex (alias-mismatch)" "alias miss"
expect_no_grep out "alias 'dial tcp" "alias matched"
expect_grep out "[r/wide] regex matches the signature of r/pg, and neither record links to the other" "overlap"
expect_grep out "[r/pg] signature_zh repeats the English signature" "zh repeats"
printf '%s\n' \
	'{"id": "r/wide", "signature": "connect: Connection refused", "domain": "d", "category": "c", "regex": "Connection refused", "sources": ["https://example.org/a"], "transition_graph": {"frequently_confused_with": [{"error_id": "r/pg", "distinction": "psql names the server"}]}}' \
	'{"id": "r/pg", "signature": "psql: error: connection to server failed: Connection refused", "domain": "d", "category": "c", "regex": "connection to server .*failed", "sources": ["https://example.org/c"]}' \
	>"$tmp/ref2.jsonl"
run check --strict "$tmp/ref2.jsonl"
expect_rc 0 "linked overlap, sources: clean"

finish

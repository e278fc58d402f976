#!/bin/sh
# errkb list: columns, order, filters, formats, languages, KB paths.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

run list --kb small
expect_rc 0 "list"
expect_out "list text" <<'OUT'
db/auth-failed    db   auth_error        0.95  FATAL: password authentication failed for user "app"
db/too-many       db   resource_error    0.80  FATAL: sorry, too many clients already
net/conn-refused  net  connection_error  0.90  connect: Connection refused
net/timeout       net  timeout_error     0.70  connect: Connection timed out
OUT

run --kb small list --lang zh --format tsv
expect_rc 0 "global --kb before the command"
expect_grep out "$(printf 'db/auth-failed\tdb\tauth_error\t0.95\tFATAL：用户 "app" 的密码认证失败')" "tsv zh"
expect_grep out "$(printf 'db/too-many\tdb\tresource_error\t0.80\tFATAL: sorry, too many clients already')" "zh falls back to English"

run list --kb small --domain net --domain db --category auth_error --category timeout_error
expect_out "filters" <<'OUT'
db/auth-failed  db   auth_error     0.95  FATAL: password authentication failed for user "app"
net/timeout     net  timeout_error  0.70  connect: Connection timed out
OUT

run list --kb small --min-confidence 0.9 --format json
expect_rc 0 "json"
expect_out "json" <<'OUT'
[{
		"id":	"db/auth-failed",
		"domain":	"db",
		"category":	"auth_error",
		"confidence":	0.95,
		"signature":	"FATAL: password authentication failed for user \"app\""
	}, {
		"id":	"net/conn-refused",
		"domain":	"net",
		"category":	"connection_error",
		"confidence":	0.9,
		"signature":	"connect: Connection refused"
	}]
OUT

ERRKB_PATH="small/net:small/db.jsonl" run list --format tsv
expect_rc 0 "ERRKB_PATH"
if [ "$(wc -l <"$tmp/out")" -eq 4 ]; then ok; else fail "ERRKB_PATH: $(wc -l <"$tmp/out") lines"; fi

LC_ALL= LANG=zh_CN.UTF-8 run list --kb small/net
expect_grep out "连接被拒绝" "locale zh_CN picks Chinese"

# Bad input: reported on stderr, the rest still listed, no byte of an
# escape sequence from the data reaches the output.
run list --kb bad --kb small
expect_rc 0 "list with bad files"
expect_grep err "bad/malformed.json:4:3: error: malformed JSON" "syntax error place"
expect_grep err "4 records skipped" "skipped count"
expect_grep out "net/conn-refused" "good KB still listed"
expect_grep out "hostile/esc" "hostile record listed"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then fail "ESC byte in list output"; else ok; fi
if LC_ALL=C grep -q "$(printf '\342\200\256')" "$tmp/out"; then fail "U+202E in list output"; else ok; fi

# Queries: words in any case and width, fields, comparisons, exclusion.
run list --kb small --format tsv ＣＯＮＮＥＣＴ refused
expect_rc 0 "query"
if [ "$(cut -f1 "$tmp/out")" = "net/conn-refused" ]; then ok; else fail "fullwidth query: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
# A word no record holds, one letter off a word of the KB: a typo, said on
# stderr, and searched corrected; from the index and from the files.
for cache in "" --no-cache; do
	run $cache list --kb small --format tsv conection refused
	expect_rc 0 "typo $cache"
	if [ "$(head -n1 "$tmp/out" | cut -f1)" = "net/conn-refused" ]; then ok; else fail "typo $cache: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
	expect_grep err "showing results for: connection refused" "typo said $cache"
	run $cache list --kb small --format tsv conection
	expect_grep out "net/conn-refused" "typo alone $cache"
done
# A pasted log line with a word no record holds: what match finds in it,
# said on stderr; from the index and from the files.
for cache in "" --no-cache; do
	run $cache list --kb small --format tsv 'app[42]: connect: Connection refused (db-7:5432)'
	expect_rc 0 "pasted line $cache"
	if [ "$(head -n1 "$tmp/out" | cut -f1)" = "net/conn-refused" ]; then ok; else fail "pasted line $cache: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
	expect_grep err "what 'errkb match' finds in the line" "pasted line said $cache"
	# The filters hold for what match finds too.
	run $cache list --kb small --format tsv --domain db 'app[42]: connect: Connection refused (db-7:5432)'
	expect_no_grep out "net/conn-refused" "pasted line, another domain $cache"
done
# Words with nothing of a message in them are not taken for one.
run list --kb small --format tsv zzz yyy xxx wwwwwww
expect_no_grep err "errkb match" "plain words are not a line"
# Four letters, or a word the KB holds: no guess.
run list --kb small --format tsv conn zzzz
expect_no_grep err "showing results" "short word not corrected"
run list --kb small --format tsv -- '"connect:"' -refused
if [ "$(cut -f1 "$tmp/out")" = "net/timeout" ]; then ok; else fail "exclusion: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
run list --kb small --format tsv 'conf>=0.9' cat:auth
if [ "$(cut -f1 "$tmp/out")" = "db/auth-failed" ]; then ok; else fail "comparison and field: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
run list --kb small --format tsv jujue
if [ "$(cut -f1 "$tmp/out")" = "net/conn-refused" ]; then ok; else fail "pinyin: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
run list --kb small --format tsv '"too many clients"'
if [ "$(cut -f1 "$tmp/out")" = "db/too-many" ]; then ok; else fail "phrase: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi

run list --kb small --format tsv --resolvable partial --resolvable false
if [ "$(cut -f1 "$tmp/out")" = "net/timeout" ]; then ok; else fail "--resolvable: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi

# A filter value the KB does not have is a typo, not an empty list: an
# error naming the closest values, whether the index serves the KB (its
# columns asked) or the sources are read (--no-cache).
mkdir "$tmp/facets"
for r in 'networking/a networking timeout_error human_reviewed' \
	 'networking/b networking connection_error ai_generated' \
	 'database/c database auth_error human_reviewed' \
	 'network-edge/d network-edge timeout_error community'; do
	set -- $r
	printf '{"id": "%s", "signature": "%s failed", "domain": "%s", "category": "%s", "verification_tier": "%s"}\n' \
		"$1" "$1" "$2" "$3" "$4"
done >"$tmp/facets/all.jsonl"
for cache in "" --no-cache; do
	run $cache list --kb "$tmp/facets" --domain netwrking
	expect_rc 2 "unknown domain $cache"
	expect_out "unknown domain prints no list $cache" </dev/null
	expect_grep err "errkb: list: no domain 'netwrking'; did you mean 'networking'?" "closest domain $cache"
	run $cache list --kb "$tmp/facets" --domain netw
	expect_rc 2 "domain prefix $cache"
	expect_grep err "no domain 'netw'; did you mean 'networking' or 'network-edge'?" "domains the value begins, shortest first $cache"
	run $cache list --kb "$tmp/facets" --domain networking --category timeout --tier human_reveiwed
	expect_rc 2 "unknown category and tier $cache"
	expect_grep err "errkb: list: no category 'timeout'; did you mean 'timeout_error'?" "closest category $cache"
	expect_grep err "errkb: list: no verification tier 'human_reveiwed'; did you mean 'human_reviewed'?" "closest tier $cache"
	run $cache list --kb "$tmp/facets" --domain zzz
	expect_rc 2 "nothing like it $cache"
	expect_grep err "no domain 'zzz'; the KB's domains are 'database', 'network-edge' and 'networking'" "the values, when none is close $cache"
	run $cache list --kb "$tmp/facets" --format tsv --domain networking --tier human_reviewed
	expect_rc 0 "known values $cache"
	if [ "$(cut -f1 "$tmp/out")" = "networking/a" ]; then ok; else fail "known values $cache: $(cut -f1 "$tmp/out" | tr '\n' ' ')"; fi
	# Known values that select nothing together are no error.
	run $cache list --kb "$tmp/facets" --domain database --category timeout_error
	expect_rc 0 "empty but known $cache"
	expect_out "empty but known $cache" </dev/null
done

run list --kb /nonexistent/kb
expect_rc 1 "nothing loadable"
expect_grep err "/nonexistent/kb: error: cannot open" "missing path named"
finish

#!/bin/sh
# The real-world corpus (deadends.dev canons, 2,522 records): loads whole,
# no errors, the known regex findings.  Skipped when ../shared is absent.
. "${top_srcdir:-.}/tests/lib.sh"
corpus="$top_srcdir/../shared/corpora/deadends/canons"
if [ ! -d "$corpus" ]; then
	echo "no corpus at $corpus: skipped"
	exit 77
fi

run check "$corpus"
expect_rc 0 "corpus check"
tail -n 1 "$tmp/out" >"$tmp/last" && mv "$tmp/last" "$tmp/out"
# The spec: 210 records whose regex misses their own signature when
# matched case-insensitively, as errkb does.
expect_out "corpus summary" <<'OUT'
2522 records in 2522 files; 0 skipped; 0 errors, 228 warnings (regex-mismatch 210, regex-broad 18)
OUT

# Ordinary log lines (dpkg, apt, alternatives, syslog: no error in them)
# name no record, though 18 regexes of the corpus match some of them.
run match --kb "$corpus" "$top_srcdir/data/ordinary.log"
expect_rc 1 "corpus: ordinary lines match nothing"
expect_grep err "nothing matched" "corpus: ordinary lines match nothing"

run list --kb "$corpus" --format tsv
expect_rc 0 "corpus list"
if [ "$(wc -l <"$tmp/out")" -eq 2522 ]; then ok; else fail "corpus list: $(wc -l <"$tmp/out") lines"; fi
if [ -s "$tmp/err" ]; then fail "corpus list wrote to stderr"; head -3 "$tmp/err"; else ok; fi

# A file whose path differs from its id: the id field wins.
run show --kb "$corpus" disaster/evacuation-site-not-shelter/jp
expect_rc 0 "corpus show"
expect_grep out "Environment" "canon environment"
expect_grep out "country_name" "canon additional facts"
expect_grep out "Verification: human_reviewed" "review status mapped"
expect_grep out "Preceded by: disaster/tsunami-natural-warning-self-evacuate/jp" "canon links"
finish

#!/bin/sh
# The index never changes what errkb says: after every edit a KB can see
# (a record edited, added, deleted, renamed; a file touched, replaced by
# one of the same size and mtime, or by a FIFO), and whatever happens to
# the index (cut short, scribbled over, of an older schema, built by two
# errkb at once, in no writable directory), list, show and their
# findings are those of a load from the sources (--no-cache).  And an
# unchanged file is taken from the index, not read.
. "${top_srcdir:-.}/tests/lib.sh"

XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
kb=$tmp/kb
mkdir -p "$kb/net" "$kb/db"

# rec ID SIGNATURE [EXTRA]: one flat record, on one line.
rec() {
	printf '{"id": "%s", "signature": "%s", "signature_zh": "%s 的中文", "domain": "%s", "category": "c_error", "root_cause": "because", %s"confidence": 0.5}\n' \
		"$1" "$2" "$2" "${1%%/*}" "${3:-}"
}

rec net/a "alpha failed" '"transition_graph": {"leads_to": ["net/b", "gone/x"]}, ' >"$kb/net/a.json"
rec net/b "beta failed" >"$kb/net/b.json"
# Signatures that collate otherwise than their bytes sort (case, accents,
# Chinese), and each facet a list can filter on, with and without a value.
{
	rec db/c "gamma failed" '"regex": "gamma\\s+fail(ed)?", ' 
	rec db/d "delta failed"
	echo '{"id": "db/broken", '
	rec db/e "epsilon failed"
	rec db/h "Émile failed" '"resolvable": "partial", "verification_tier": "human_reviewed", '
	rec db/i "emile Failed" '"resolvable": false, "verification_tier": "ai_generated", "transition_graph": {"preceded_by": ["net/b"]}, '
	rec db/j "Zeta failed" '"resolvable": "true", '
	echo '{"id": "db/k", "signature": "kappa failed", "signature_zh": "卡帕失败", "domain": "db", "category": "other_error"}'
	echo '{"id": "db/l", "signature": "lambda failed", "domain": "db", "category": "c_error", "confidence": 0.9, "regex": "LAMBDA [a-z]+"}'
	echo '{"id": "db/m", "signature": "阿尔法 failed", "signature_zh": "阿尔法失败", "domain": "db", "category": "c_error", "confidence": 0.1}'
} >"$kb/db/all.jsonl"
# The same id in two files: the first one read wins, the other is a finding.
rec net/b "beta again" >"$kb/zz-dup.json"
{ echo '['; rec db/f "phi failed"; echo ','; echo '{"id": "db/g", "domain": "db"}'; echo ']'; } >"$kb/db/arr.json"

# A log for match: regexes, whole signatures, words, nothing.
printf '%s\n' 'x gamma    failed twice' 'lambda frobnicated' 'beta failed at 3' \
	'Émile failed' 'kappa' 'nothing here' >"$tmp/log"

# Files older than the racy window, as most KB files are.
age() { touch -d '2020-01-02 03:04:05' "$@"; }
age "$kb"/net/* "$kb"/db/* "$kb"/zz-dup.json

# same NAME ARGS...: errkb ARGS says exactly what errkb --no-cache ARGS
# says, on stdout, stderr and in its status.
same() {
	name=$1
	shift
	"$ERRKB" --no-cache -k "$kb" "$@" >"$tmp/want.out" 2>"$tmp/want.err"
	want_rc=$?
	"$ERRKB" -k "$kb" "$@" >"$tmp/got.out" 2>"$tmp/got.err"
	got_rc=$?
	if cmp -s "$tmp/want.out" "$tmp/got.out" && cmp -s "$tmp/want.err" "$tmp/got.err" &&
		[ "$want_rc" -eq "$got_rc" ]; then
		ok
	else
		fail "$name: errkb $* differs from --no-cache (status $got_rc, $want_rc)"
		diff -u "$tmp/want.out" "$tmp/got.out" | head -20
		diff -u "$tmp/want.err" "$tmp/got.err" | head -20
	fi
}

# all NAME: the commands that load the KB, each compared.
all() {
	same "$1: list" list --format json
	same "$1: list text" list
	same "$1: list zh" --lang zh list
	same "$1: list query" list failed
	same "$1: list search" --lang zh list --format tsv --domain db 'fail' '"a failed"' -zeta
	same "$1: list pinyin" list kapa
	same "$1: list Chinese" list 失败
	same "$1: list short word" list ep
	same "$1: list one record's word" list --format tsv changed
	same "$1: list facets" list --format tsv --domain db --domain net --category c_error --min-confidence 0.3
	same "$1: list facets zh" --lang zh list --domain db --resolvable unknown --resolvable partial --tier human_reviewed --tier ""
	same "$1: show" show net/a --format json
	same "$1: show text" show net/b
	same "$1: show zh" --lang zh show net/b
	same "$1: show none" show db/none
	same "$1: match" match "$tmp/log"
	same "$1: match json" match --format json --max 3 "$tmp/log"
}

# index WANT: errkb index says "N files (U unchanged, R read, D dropped)"
# as WANT ("U R D").
index() {
	run -k "$kb" index
	expect_rc 0 "index ($2)"
	got=$(sed -n 's/.*: [0-9]* files\{0,1\} (\([0-9]*\) unchanged, \([0-9]*\) read, \([0-9]*\) dropped).*/\1 \2 \3/p' "$tmp/out")
	if [ "$got" = "$1" ]; then ok; else fail "$2: index says '$(cat "$tmp/out")', want unchanged/read/dropped $1"; fi
}

index "0 5 0" "a first start reads every file"
# Counts with their nouns, singular for one (an index of its own, apart).
(XDG_CACHE_HOME=$tmp/cache-one; export XDG_CACHE_HOME; run index --kb "$kb/net/b.json")
expect_grep out ": 1 file (0 unchanged, 1 read, 0 dropped), 1 record" "index of one file, one record"
all cold
index "5 0 0" "then none"
all warm

# Edited, with an mtime still in the past.
rec net/b "beta changed its mind" >"$kb/net/b.json"
touch -d '2021-01-01' "$kb/net/b.json"
index "4 1 0" "an edited file"
all edited
run -k "$kb" show net/b
expect_grep out "beta changed its mind" "the edit shows"

# Added, deleted, renamed.
rec net/h "eta failed" >"$kb/net/h.json"
age "$kb/net/h.json"
index "5 1 0" "an added file"
all added
rm "$kb/net/a.json"
index "5 0 1" "a deleted file"
all deleted
mv "$kb/net/h.json" "$kb/db/h.json"
index "4 1 1" "a renamed file"
all renamed

# The first of two duplicates goes: the second is the record now.
mv "$kb/net/b.json" "$tmp/b.json"
index "4 0 1" "the first duplicate deleted"
all duplicate
run -k "$kb" show net/b
expect_grep out "beta again" "the second duplicate shows"
mv "$tmp/b.json" "$kb/net/b.json"
index "4 1 0" "the first duplicate back"
all "duplicate back"

# Touched, unchanged: read again, same answer.
touch -d '2022-01-01' "$kb/db/all.jsonl"
index "4 1 0" "a touched file"
all touched

# Replaced by one of the same size and mtime, another inode.
rec net/b "beta changed its MIND" >"$tmp/new.json"
touch -r "$kb/net/b.json" "$tmp/new.json"
if [ "$(wc -c <"$tmp/new.json")" -eq "$(wc -c <"$kb/net/b.json")" ]; then ok; else fail "the replacement is not the same size"; fi
mv "$tmp/new.json" "$kb/net/b.json"
index "4 1 0" "same size and mtime, another inode"
all inode
run -k "$kb" show net/b
expect_grep out "beta changed its MIND" "the replacement shows"

# Made unreadable (chmod moves only the status change time): not served
# from the index, as a fresh load could not read it either.  Root reads
# it anyway; then both read it.
chmod 000 "$kb/db/arr.json"
if [ "$(id -u)" -eq 0 ]; then
	index "4 1 0" "a file whose mode changed is read again"
else
	index "4 0 1" "a file made unreadable is dropped"
fi
all "mode changed"
chmod 644 "$kb/db/arr.json"
index "4 1 0" "a file whose mode changed back"

# Written just now: kept, but read again until it is older than the
# racy window, as the same size and mtime could hide a second write.
rec db/i "iota failed" >"$kb/db/i.json"
index "5 1 0" "a new file"
index "5 1 0" "a file written within the racy window"
all racy
age "$kb/db/i.json"

# A file that became a FIFO is not read, from the index or otherwise.
rm "$kb/db/i.json"
mkfifo "$kb/db/i.json"
same "a FIFO" list --format json
rm "$kb/db/i.json"

db=$(ls "$XDG_CACHE_HOME"/errkb/*.sqlite)
n=$(ls "$XDG_CACHE_HOME"/errkb/*.sqlite | wc -l)
if [ "$n" -eq 1 ]; then ok; else fail "one index per KB: $n files"; fi

# Cut short.
"$ERRKB" -k "$kb" index >/dev/null 2>&1
head -c 1000 "$db" >"$tmp/cut" && cat "$tmp/cut" >"$db"
all truncated
index "5 0 0" "after a cut index, made anew"
# Scribbled over in the middle, then emptied.
dd if=/dev/urandom of="$db" bs=1024 seek=4 count=8 conv=notrunc 2>/dev/null
all scribbled
all "after a scribbled index"
: >"$db"
all emptied
# Not SQLite at all.
printf 'not an index\n%.0s' $(seq 1 500) >"$db"
all garbage
index "5 0 0" "after garbage, made anew"

# Of an older schema, or another errkb version: made anew.
if command -v sqlite3 >/dev/null 2>&1; then
	# An older errkb's file: 4 KB pages, schema 0.  Made anew as a new
	# file: 16 KB pages, then WAL.
	sqlite3 "$db" 'PRAGMA journal_mode = DELETE' >/dev/null
	sqlite3 "$db" 'PRAGMA page_size = 4096; VACUUM; PRAGMA user_version = 0'
	index "0 5 0" "an older schema is made anew"
	all schema
	size=$(sqlite3 "$db" "PRAGMA page_size")
	mode=$(sqlite3 "$db" "PRAGMA journal_mode")
	if [ "$size $mode" = "16384 wal" ]; then ok; else fail "an older schema's index has pages of $size, journal $mode"; fi
	sqlite3 "$db" "UPDATE meta SET value = '0.0.0/0' WHERE key = 'version'"
	index "0 5 0" "another version is made anew"
	# A record damaged inside a sound database: read from the source.
	# Found when the record is read: show it from the source, and the
	# index is made anew.
	damage="UPDATE recdata SET data = x'0102' WHERE rid = (SELECT rowid FROM records WHERE id = 'db/c')"
	sqlite3 "$db" "$damage"
	same "a damaged row: show it" show db/c
	index "0 5 0" "a damaged index is made anew"
	sqlite3 "$db" "$damage"
	all "a damaged row"
	# A record's search text gone: a search is answered
	# from the sources, and the index is made anew.
	sqlite3 "$db" "DELETE FROM search WHERE rid = (SELECT rowid FROM records WHERE id = 'db/c')"
	same "a doc missing: search" list failed
	index "0 5 0" "an index without a doc is made anew"
	"$ERRKB" -k "$kb" index >/dev/null 2>&1
	sqlite3 "$db" "DELETE FROM search WHERE rid = (SELECT rowid FROM records WHERE id = 'db/l')"
	same "a doc missing: a word the screen finds" list lambda
	# (That search found the damage and removed the index: made again
	# first, or the next line empties a file that holds nothing.)
	"$ERRKB" -k "$kb" index >/dev/null 2>&1
	sqlite3 "$db" "DELETE FROM search"
	same "no doc at all: search" list failed
	# The screen's maps of another size than errkb writes: the same.
	"$ERRKB" -k "$kb" index >/dev/null 2>&1
	sqlite3 "$db" "UPDATE screen SET map = x'00'"
	same "a damaged screen: search" list kapa
	index "0 5 0" "an index with a damaged screen is made anew"
	# A query the index cannot answer (a column renamed under it): the
	# sources answer, with the findings told once.
	sqlite3 "$db" "ALTER TABLE records RENAME COLUMN ord_en TO gone"
	same "a broken index: list" list --format json
	same "a broken index: list text" list --domain db
	"$ERRKB" -k "$kb" index --rebuild >/dev/null 2>&1
	# Findings made in another language are made again.
	sqlite3 "$db" "UPDATE files SET canary = 'other'"
	all "another language"
else
	echo "cli_index.sh: sqlite3 not installed; the schema and row checks are left out"
fi

# --rebuild reads everything.
run -k "$kb" index --rebuild
expect_grep out "(0 unchanged, 5 read, 0 dropped)" "--rebuild reads every file"
# Made in rollback mode (each page written once), then turned to WAL, so
# that a browser reading it does not hold other errkb back.
if command -v sqlite3 >/dev/null 2>&1; then
	db=$(ls "$XDG_CACHE_HOME"/errkb/*.sqlite)
	mode=$(sqlite3 "$db" "PRAGMA journal_mode")
	if [ "$mode" = wal ]; then ok; else fail "a new index is in journal mode '$mode', not wal"; fi
fi
run -k "$kb" index --stats
expect_grep out "files: 5" "--stats: files"
expect_grep out "records: 13" "--stats: records (duplicates too)"
expect_grep out "files-from-index: 5" "--stats: from the index"

# Two errkb building the same index at once: both right.
rm -rf "$XDG_CACHE_HOME"
"$ERRKB" -k "$kb" list --format json >"$tmp/p1" 2>&1 &
p1=$!
"$ERRKB" -k "$kb" list --format json >"$tmp/p2" 2>&1 &
p2=$!
wait $p1
wait $p2
"$ERRKB" --no-cache -k "$kb" list --format json >"$tmp/p0" 2>&1
if cmp -s "$tmp/p0" "$tmp/p1" && cmp -s "$tmp/p0" "$tmp/p2"; then ok; else fail "two at once differ from --no-cache"; fi
all "after two at once"

# No writable cache directory: the same answers, and index says why.
XDG_CACHE_HOME=$kb/net/a.json/cache
export XDG_CACHE_HOME
rec net/a "alpha failed" >"$kb/net/a.json"
all "no cache directory"
run -k "$kb" index
expect_rc 1 "index without a cache directory"
expect_grep err "no index" "index says there is none"
# A cache directory that does not exist yet is made.
XDG_CACHE_HOME=$tmp/new/deep/cache
export XDG_CACHE_HOME
all "a new cache directory"
if [ -d "$tmp/new/deep/cache/errkb" ]; then ok; else fail "the cache directory was not made"; fi

run --no-cache -k "$kb" index
expect_rc 2 "index --no-cache is a usage error"

# Completion takes ids, domains, categories and tiers from the index too.
# same_complete NAME WORD...: the candidates for the word after WORDs
# (errkb -k KB WORD... "") are those that --no-cache gives.
same_complete() {
	name=$1
	shift
	"$ERRKB" --complete $(($# + 4)) errkb --no-cache -k "$kb" "$@" "" >"$tmp/want.out" 2>&1
	"$ERRKB" --complete $(($# + 3)) errkb -k "$kb" "$@" "" >"$tmp/got.out" 2>&1
	if [ -s "$tmp/want.out" ] && cmp -s "$tmp/want.out" "$tmp/got.out"; then
		ok
	else
		fail "$name: completion differs from --no-cache (or is empty)"
		diff -u "$tmp/want.out" "$tmp/got.out" | head -10
	fi
}
complete_all() {
	same_complete "$1: ids" show
	same_complete "$1: domains" list --domain
	same_complete "$1: categories" list --category
	same_complete "$1: tiers" list --tier
}
complete_all small

# A KB of more than one batch of the index's writer thread (the shipped
# KB: over 1.6 MB in a file a record, a batch is 1 MiB): the thread
# writes while the loader reads on.  Cold; then with all but 40 files
# changed, so that the files taken from the index come between the
# thread's batches, and a record edited in the walk's last file.
kb=$tmp/shipped
cp -r "$top_srcdir/data/kb" "$kb" && chmod -R u+w "$kb"
nfiles=$(find "$kb" -type f -name '*.json' | wc -l)
find "$kb" -type f -exec touch -d '2020-01-02 03:04:05' {} +
cut -f2 "$top_srcdir"/tests/kb-loglines/*.tsv >"$tmp/shipped.log"
shipped_all() {
	same "$1: list" list --format json
	same "$1: list zh" --lang zh list --format tsv
	same "$1: search" list certificate
	same "$1: show" show "$last_id" --format json
	same "$1: match" match --max 50 "$tmp/shipped.log"
	# Chinese on this KB, not on the one above: that one has findings,
	# made anew in the language of each run, and the counts of files
	# read that it checks would change.
	same "$1: match zh" --lang zh match --format json --max 50 "$tmp/shipped.log"
}
last=$(find "$kb" -type f | sort | tail -n 1)
last_id=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$last")
index "0 $nfiles 0" "the shipped KB, first start"
shipped_all "shipped, cold"
find "$kb" -type f | sort | head -n $((nfiles - 41)) | while read -r f; do touch -d '2020-01-03 03:04:05' "$f"; done
sed '0,/"signature": "/s//"signature": "edited /' "$last" >"$tmp/last.json" && cat "$tmp/last.json" >"$last"
touch -d '2020-01-03 03:04:05' "$last"
index "40 $((nfiles - 40)) 0" "the shipped KB, most files changed"
shipped_all "shipped, most changed"
run -k "$kb" show "$last_id"
expect_grep out "edited " "the edit in the last file shows"
# Not on a terminal, no progress line, whatever its delay.
rm -rf "$XDG_CACHE_HOME"
ERRKB_PROGRESS_DELAY=0
export ERRKB_PROGRESS_DELAY
run -k "$kb" index
unset ERRKB_PROGRESS_DELAY
if grep -q "reading the KB" "$tmp/err"; then fail "a progress line, not on a terminal"; else ok; fi

# A directory of more files than the walk stats alone (load.c,
# PRESTAT_MIN: a helper thread stats with it), with a directory, links
# (to a file, to the directory, dangling), a hard link and a FIFO among
# them: the same answers as a load from the sources, cold, warm and after
# an edit, an addition and a deletion in the middle.
kb=$tmp/wide
mkdir -p "$kb/m-sub"
i=0
while [ $i -lt 600 ]; do
	rec "wide/r$i" "wide record $i failed" >"$kb/r$(printf %04d $i).json"
	i=$((i + 1))
done
rec wide/sub "sub record failed" >"$kb/m-sub/s.json"
ln -s r0007.json "$kb/l-link.json"
ln -s m-sub "$kb/n-dirlink"
ln -s nowhere.json "$kb/o-dangling.json"
ln "$kb/r0100.json" "$kb/p-hard.json"
mkfifo "$kb/q-fifo.json" 2>/dev/null || true
find "$kb" -exec touch -h -d '2020-01-02 03:04:05' {} +
wide_all() {
	same "$1: list" list --format json
	same "$1: list query" list --format tsv 'record 3'
	same "$1: show" show wide/r299 --format json
	same "$1: check" check
}
rm -rf "$XDG_CACHE_HOME"
wide_all "wide, cold"
wide_all "wide, warm"
index "601 0 0" "a wide directory, warm"
rec wide/r300 "wide record 300 edited" >"$kb/r0300.json"
rec wide/new "wide record new" >"$kb/r0300a.json"
rm "$kb/r0301.json"
touch -d '2020-01-03 03:04:05' "$kb/r0300.json" "$kb/r0300a.json"
index "599 2 1" "a wide directory, edited in the middle"
wide_all "wide, edited"
run -k "$kb" show wide/r300
expect_grep out "wide record 300 edited" "the edit in the wide directory shows"

# A word the screen narrows to more candidates than one thread reads
# (kbcache.c, search_keys: 512): 800 of 4,000 records hold "zorbled", so
# its candidates are read in two halves at once, on two connections.  The
# hits of both halves, ranked, are those of a load from the sources.
kb=$tmp/halves
mkdir -p "$kb"
awk 'BEGIN {
	for (i = 0; i < 4000; i++)
		printf "{\"id\": \"h/r%04d\", \"signature\": \"halves record %d %s%s\", \"domain\": \"d%d\", \"category\": \"c\", \"root_cause\": \"cause %d\", \"confidence\": 0.%d}\n", i, i, i % 3 ? "failed" : "timed out", i % 5 ? "" : " zorbled", i % 4, i, i % 10
}' >"$kb/halves.jsonl"
age "$kb/halves.jsonl"
"$ERRKB" -k "$kb" index >/dev/null 2>&1
same "halves: a word in 800 records" list --format tsv zorbled
same "halves: and another" list --format tsv zorbled timed
same "halves: and not another" list --format tsv -- zorbled -failed
same "halves: under a filter" list --format tsv --domain d1 zorbled
same "halves: as JSON" list --format json zorbled

# Findings are made in the language of the run that reads a file, and a
# file is read again in another language only if one of them is ever
# shown: an error.  A file with warnings alone (a _zh text with no
# Chinese) is not read again each time the language changes (the 282 MB
# file of the bench has 2,065 such warnings); one with an error is, and
# both say what --no-cache says.
kb=$tmp/langs
mkdir -p "$kb"
{
	echo '{"id": "w/a", "signature": "alpha failed", "signature_zh": "alpha failed", "domain": "w", "category": "c", "root_cause": "r"}'
	echo '{"id": "w/b", "signature": "beta failed", "domain": "w", "category": "c", "root_cause": "r"}'
} >"$kb/warned.jsonl"
{
	echo '{"id": "e/a", "signature": "gamma failed", "domain": "e", "category": "c", "root_cause": "r"}'
	echo '{"id": "e/b", "domain": "e"}'
} >"$kb/erred.jsonl"
age "$kb"/*.jsonl
index "0 2 0" "files with findings, first start"
index "2 0 0" "files with findings, then none"
same "findings, in Chinese" --lang zh list --format tsv
same "findings, in Chinese, match" --lang zh match "$tmp/log"
index "1 1 0" "after Chinese: the file with an error alone read again"
same "findings, in English again" list --format tsv
index "2 0 0" "then none again"

# The real corpus (2,522 records): the order of the whole list in both
# languages, facets, and records with links both ways, as a load from the
# sources gives them.
corpus="$top_srcdir/../shared/corpora/deadends/canons"
if [ -d "$corpus" ]; then
	kb=$corpus
	"$ERRKB" -k "$kb" index >/dev/null 2>&1
	same "corpus: list" list --format tsv
	same "corpus: list zh" --lang zh list --format tsv
	same "corpus: list facets" list --domain docker --domain python --min-confidence 0.5
	complete_all corpus
	same "corpus: search" list connection refused
	same "corpus: search phrase" list --format tsv -- '"permission denied"' -docker
	same "corpus: search facets" list --domain python --min-confidence 0.5 module
	same "corpus: search quote" list 'can"t' ECONNREFUSED
	same "corpus: search none" list zzzqqqxxx
	# Log lines written for the shipped KB, and the corpus' own
	# signatures, matched against the corpus.
	cut -f2 "$top_srcdir"/tests/kb-loglines/*.tsv >"$tmp/corpus.log"
	"$ERRKB" --no-cache -k "$kb" list --format tsv | cut -f5 | awk 'NR % 7 == 0' >>"$tmp/corpus.log"
	same "corpus: match" match --max 200 "$tmp/corpus.log"
	for id in $("$ERRKB" --no-cache -k "$kb" list --format tsv | awk 'NR % 211 == 1 { print $1 }'); do
		same "corpus: show $id" show "$id" --format json
	done
else
	echo "no corpus at $corpus: its part skipped"
fi

finish

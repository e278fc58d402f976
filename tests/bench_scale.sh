#!/bin/sh
# make bench: errkb at scale, beside the tools a user would otherwise
# reach for, on the same synthetic KBs in the same run.
#
# Usage: bench_scale.sh ERRKB GENKB [SIZE]...   (default sizes: 2500 10000
# 100000, and 1000000 too with BENCH_1M=1).  For each size, genkb writes a JSONL
# KB shaped like the real ones (tests/genkb.c) and a directory tree of
# one file a record; then each figure is the median wall time of several
# runs (3, or BENCH_RUNS), and the peak RSS of one, as /usr/bin/time
# reports them.  Peers: cat, grep, jq and fzf --filter; a peer that is
# not installed shows as "-".  With BENCH_TUI (tests/bench_tui, which
# needs libvterm), the browser on a warm index too: its first frame,
# typing in its search prompt, and its filter dialog.
# Figures, not pass/fail.
set -u

errkb=$1
genkb=$2
shift 2
if [ $# -eq 0 ]; then
	set -- 2500 10000 100000
	[ "${BENCH_1M:-0}" = 1 ] && set -- "$@" 1000000
fi
runs=${BENCH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/errkb-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
export XDG_CACHE_HOME="$work/cache"
have() { command -v "$1" >/dev/null 2>&1; }

# med CMD...: $t, the median wall time of $runs runs, in seconds; $rss,
# the peak RSS (KiB) of the last one.  Output goes to $work/out.
med() {
	i=0
	: >"$work/times"
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null
		# (time puts "Command exited with non-zero status N" first.)
		tail -n 1 "$work/t" >>"$work/times"
		i=$((i + 1))
	done
	rss=$(tail -n 1 "$work/times" | cut -d' ' -f2)
	t=$(sort -n "$work/times" | sed -n "$(((runs + 1) / 2))p" | cut -d' ' -f1)
}

# once CMD...: one run: $t and $rss.
once() {
	/usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null
	rss=$(tail -n 1 "$work/t" | cut -d' ' -f2)
	t=$(tail -n 1 "$work/t" | cut -d' ' -f1)
}

# ratio A B: how many times A is B.  time(1) gives hundredths: a B that
# rounds to 0.00 gives a lower bound, as if it were 0.01.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/) print "-"; else if (b > 0) printf "%.1fx", a / b; else if (b == "0.00") printf "over %.0fx", a / 0.01; else print "-" }'; }
row() { printf '| %-44s | %10s | %-40s |\n' "$1" "$2" "$3"; }

printf 'machine: %s, %s cores, %s\n' "$(uname -srm)" "$(nproc)" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
printf 'errkb: %s; runs per figure: %s (median)\n' "$("$errkb" --version | head -n 1)" "$runs"

for n in "$@"; do
	kb=$work/kb-$n.jsonl
	tree=$work/tree-$n
	"$genkb" "$n" >"$kb" || exit 1
	# Older than errkb's racy window (a file written in the last 2 s is
	# read again at the next start), as a KB in use is.
	touch -d '-1 hour' "$kb"
	bytes=$(stat -c %s "$kb")
	mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
	# A domain of about 1% of the records, a word in under 10% of them and
	# one in nearly all, and a record in the middle.
	dom=$("$errkb" --no-cache -k "$kb" list --format tsv | cut -f2 | sort | uniq -c | sort -n |
		awk -v n="$n" '$1 >= n / 150 { print $2; exit }')
	id=$(sed -n "$((n / 2))p" "$kb" | sed 's/^{"id":"\([^"]*\)".*/\1/')
	rare=tukter88
	common=failed
	echo
	printf '%s records, one JSONL file of %s MB (domain %s; rare word "%s", common word "%s")\n\n' \
		"$n" "$mb" "$dom" "$rare" "$common"
	row "what" "seconds" "beside"
	row "---" "---:" "---"

	med cat "$kb"
	t_cat=$t
	med grep -c "\"domain\":\"$dom\"" "$kb"
	t_grep=$t
	t_jq=-
	if have jq; then
		med jq -c "select(.domain == \"$dom\") | .id" "$kb"
		t_jq=$t
	fi
	row "cat the file" "$t_cat" ""

	rm -rf "$XDG_CACHE_HOME"
	once "$errkb" -k "$kb" index
	row "cold: index built (first start)" "$t" "$(awk -v b="$bytes" -v t="$t" 'BEGIN { if (t > 0) printf "%.1f MB/s", b / 1e6 / t }'), peak RSS $(awk -v r="$rss" -v b="$bytes" 'BEGIN { printf "%.2fx the JSON", r * 1024 / b }')"
	med "$errkb" --no-cache -k "$kb" list --domain "$dom"
	row "list --domain, no index (--no-cache)" "$t" "jq select $t_jq s"
	med "$errkb" -k "$kb" list --domain "$dom"
	row "list --domain, warm" "$t" "jq $(ratio "$t_jq" "$t") slower; grep -c $t_grep s; RSS $(awk -v r="$rss" -v b="$bytes" 'BEGIN { printf "%.3fx", r * 1024 / b }')"
	med "$errkb" -k "$kb" show "$id"
	row "show ID, warm" "$t" "jq $(ratio "$t_jq" "$t") slower; RSS $(awk -v r="$rss" 'BEGIN { printf "%.0f MB", r / 1024 }')"
	if [ -n "${BENCH_TUI:-}" ] && "$BENCH_TUI" --first-frame "$kb" >"$work/ff" 2>/dev/null; then
		read -r ff_ms ff_rss <"$work/ff"
		row "browser: first frame, warm (120x40)" \
			"$(awk -v m="$ff_ms" 'BEGIN { printf "%.2f", m / 1000 }')" \
			"peak RSS $(awk -v r="$ff_rss" -v b="$bytes" 'BEGIN { printf "%.2fx the JSON", r * 1024 / b }')"
	fi
	# Typing a word in the browser's search prompt, a key at a time, each
	# once the one before has its results (the first keys are too short
	# for the index's screen): the keys, and their results.
	for word in "$rare" "$common"; do
		if [ -n "${BENCH_TUI:-}" ] && "$BENCH_TUI" --keys "$kb" "$word" >"$work/keys" 2>/dev/null; then
			read -r k_mean k_p95 k_worst k_rss r_mean r_p95 r_worst <"$work/keys"
			row "browser: typing \"$word\", mean of its keys" \
				"$(awk -v m="$k_mean" 'BEGIN { printf "%.3f", m / 1000 }')" \
				"p95 $k_p95 ms, worst $k_worst ms; peak RSS $(awk -v r="$k_rss" -v b="$bytes" 'BEGIN { printf "%.2fx the JSON", r * 1024 / b }')"
			row "  its results, mean of its keys" \
				"$(awk -v m="$r_mean" 'BEGIN { printf "%.3f", m / 1000 }')" \
				"p95 $r_p95 ms, worst $r_worst ms"
		fi
	done
	# The filter dialog: the key that opens it, its counts (made between
	# keys), and Space on its first domain.
	if [ -n "${BENCH_TUI:-}" ] && "$BENCH_TUI" --dialog "$kb" >"$work/dialog" 2>/dev/null; then
		read -r d_open d_counts d_toggle d_rss <"$work/dialog"
		row "browser: filter dialog, its key" \
			"$(awk -v m="$d_open" 'BEGIN { printf "%.3f", m / 1000 }')" \
			"counts on screen $d_counts ms; Space on a domain $d_toggle ms; peak RSS $(awk -v r="$d_rss" -v b="$bytes" 'BEGIN { printf "%.2fx the JSON", r * 1024 / b }')"
	fi
	if have fzf && have jq; then
		jq -r .signature "$kb" >"$work/sigs"
		# (A shell each run: each run reads the file anew.)
		med sh -c 'fzf --filter "$1" <"$2"' sh "$rare" "$work/sigs"
		t_fr=$t
		med sh -c 'fzf --filter "$1" <"$2"' sh "$common" "$work/sigs"
		t_fc=$t
	else
		t_fr=-
		t_fc=-
	fi
	med "$errkb" -k "$kb" list "$rare"
	hits=$(wc -l <"$work/out")
	row "list WORD, warm, rare word ($hits hits)" "$t" "fzf --filter over signatures $t_fr s"
	med "$errkb" -k "$kb" list "$common"
	hits=$(wc -l <"$work/out")
	row "list WORD, warm, common word ($hits hits)" "$t" "fzf --filter over signatures $t_fc s"

	# match on 30,000 log lines, the same at every size: the signatures
	# of the first 2,500 records (genkb makes the same first records
	# whatever the size) with a timestamp, between lines of noise.  The
	# cost a line is what 30,000 take beyond one.
	head -n 2500 "$kb" | sed -n 's/.*"signature":"\([^"]*\)".*/\1/p' >"$work/sigs2500"
	awk 'NR == FNR { sig[NR] = $0; n = NR; next }
	     END { for (i = 0; i < 30000; i++)
			if (i % 2) printf "2026-12-07T10:%02d:00Z host app[%d]: worker %d heartbeat ok, queue flushed in %d ms\n", i % 60, i % 500, i, i % 97
			else printf "2026-12-07T10:%02d:00Z host app[%d]: %s\n", i % 60, i % 500, sig[(i * 7919) % n + 1] }' \
		"$work/sigs2500" "$work/sigs2500" >"$work/log"
	head -n 1 "$work/log" >"$work/log1"
	med "$errkb" -k "$kb" match "$work/log1"
	t1=$t
	row "match, one line (making the matcher)" "$t" "peak RSS $(awk -v r="$rss" 'BEGIN { printf "%.0f MB", r / 1024 }')"
	med "$errkb" -k "$kb" match "$work/log"
	row "match, 30,000 log lines" "$t" "$(awk -v a="$t" -v b="$t1" 'BEGIN { printf "%.1f us a line beyond the first", (a - b) / 30000 * 1e6 }')"

	# The same records as a tree of files: a warm start stats them all;
	# one changed file is read again.
	"$genkb" -d "$tree" "$n" || exit 1
	find "$tree" -exec touch -h -d '-1 hour' {} +
	rm -rf "$XDG_CACHE_HOME"
	once "$errkb" -k "$tree" index
	row "tree of $n files: cold index" "$t" ""
	med "$errkb" -k "$tree" list --domain "$dom"
	row "tree: list --domain, warm (a stat a file)" "$t" ""
	f=$(find "$tree" -name '*.json' | sort | sed -n "$((n / 3))p")
	sed 's/"confidence":[0-9.]*/"confidence":0.99/' "$f" >"$f.new" && mv "$f.new" "$f"
	touch -d '-1 minute' "$f"
	once "$errkb" -k "$tree" index
	row "tree: one file changed, index current again" "$t" "$(sed -n 's/.*(\(.*\)).*/\1/p' "$work/out")"
	rm -rf "$tree" "$kb" "$work/sigs" "$work/sigs2500" "$work/log" "$work/log1"
done

#!/bin/sh
# make fuzz: run the libFuzzer targets, from the build directory.
#   run.sh SRCDIR SECONDS TARGET...
# Each target first runs once over the reproducers of the bugs it found
# (SRCDIR/fuzz/regress/TARGET), then fuzzes for SECONDS from its seeds
# (SRCDIR/fuzz/corpus/TARGET, never written to) and what earlier runs found
# (fuzz-out/corpus/TARGET).  Exit status 1 when any target found anything.
set -u
srcdir=$1
secs=$2
shift 2
out=fuzz-out
status=0

# Readable stacks: the sanitizers look for llvm-symbolizer in PATH; clang
# has one beside it when the llvm package is there.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && ! command -v llvm-symbolizer >/dev/null 2>&1; then
	for s in /usr/lib/llvm-*/bin/llvm-symbolizer; do
		[ -x "$s" ] && ASAN_SYMBOLIZER_PATH=$s && export ASAN_SYMBOLIZER_PATH
	done
fi
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
export UBSAN_OPTIONS

for t in "$@"; do
	bin=fuzz/fuzz_$t
	log=$out/$t.log
	findings=$out/findings/$t
	regress=$srcdir/fuzz/regress/$t
	mkdir -p "$out/corpus/$t" "$findings" || exit 1
	: >"$log"

	if [ -d "$regress" ] && [ -n "$(ls "$regress")" ]; then
		if ! "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/" \
			"$regress"/* >>"$log" 2>&1; then
			echo "fuzz_$t: FAILED on a reproducer in $regress; the end of $log:"
			tail -n 40 "$log"
			status=1
			continue
		fi
	fi

	dict=
	[ -f "$srcdir/fuzz/dict/$t.dict" ] && dict=-dict=$srcdir/fuzz/dict/$t.dict
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$findings/" $dict "$out/corpus/$t" "$srcdir/fuzz/corpus/$t" >>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz_%-9s %10s runs in %s s (%s/s), corpus %s inputs: no findings\n' "$t" \
			"${runs:-?}" "$secs" "${rate:-?}" "$(ls "$out/corpus/$t" | wc -l)"
	else
		echo "fuzz_$t: FAILED (exit $rc) after ${runs:-?} runs; the end of $log:"
		tail -n 60 "$log"
		echo "fuzz_$t: the input is in $findings:"
		ls -l "$findings"
		status=1
	fi
done
exit $status

#!/bin/sh
# Help, version, and usage errors of every command.
. "${top_srcdir:-.}/tests/lib.sh"

run --help;              expect_rc 0 "--help"; expect_grep out "Usage: errkb" "--help"
run --version;           expect_rc 0 "--version"; expect_grep out "errkb 0." "--version"
# No command opens the browser, which needs a terminal: here stdout is a
# file, so errkb says so and points to the commands that work in a pipe.
run </dev/null;          expect_rc 2 "browser without a terminal"
expect_grep err "the browser needs a terminal" "no-terminal message"
expect_grep err "errkb list" "no-terminal hint"
run --lang fr;           expect_rc 2 "browser --lang fr"
run frobnicate;          expect_rc 2 "unknown command"; expect_grep err "unknown command 'frobnicate'" "unknown command"
run --bogus list;        expect_rc 2 "unknown global option"
run --lang;              expect_rc 2 "--lang without a value"; expect_grep err "option '--lang' needs a value" "missing value named"
run --lang zh --help;    expect_rc 0 "--lang zh --help"; expect_grep out "用法：errkb" "global --lang sets the language of --help"
run --lang=xx --help;    expect_rc 2 "--lang=xx --help"
run --dump-config list;  expect_rc 2 "--dump-config with a command"; expect_grep err "--dump-config takes no command ('list')" "--dump-config and a command"
for cmd in list show check; do
	run "$cmd" --help;   expect_rc 0 "$cmd --help"; expect_grep out "Usage: errkb $cmd" "$cmd --help"
	run "$cmd" --nonsense; expect_rc 2 "$cmd --nonsense"; expect_grep err "Try 'errkb $cmd --help'" "$cmd bad option"
done
# What getopt rejects: one message, errkb's, naming the option, then
# where to read more; the same for every command.
for cmd in list show check match pick index; do
	# For match, -b is --browse: the error is in the midst of the word.
	bad=-b
	[ "$cmd" = match ] && bad=-u
	run "$cmd" -busy </dev/null
	expect_rc 2 "$cmd -busy"
	expect_out "$cmd -busy prints nothing" </dev/null
	if [ "$(wc -l <"$tmp/err")" -eq 2 ]; then ok; else fail "$cmd -busy: $(wc -l <"$tmp/err") lines on stderr, expected 2"; sed 's/^/  /' "$tmp/err"; fi
	expect_grep err "errkb: $cmd: unknown option '$bad'" "$cmd -busy names the option"
	expect_grep err "Try 'errkb $cmd --help' for more information." "$cmd -busy points to --help"
	run "$cmd" --bogus </dev/null
	if [ "$(head -1 "$tmp/err")" = "errkb: $cmd: unknown option '--bogus'" ]; then ok; else fail "$cmd --bogus: $(head -1 "$tmp/err")"; fi
	if [ "$(wc -l <"$tmp/err")" -eq 2 ]; then ok; else fail "$cmd --bogus: $(wc -l <"$tmp/err") lines on stderr, expected 2"; fi
	run "$cmd" --kb </dev/null
	expect_rc 2 "$cmd --kb without a value"
	if [ "$(head -1 "$tmp/err")" = "errkb: $cmd: option '--kb' needs a value" ]; then ok; else fail "$cmd --kb: $(head -1 "$tmp/err")"; fi
	run "$cmd" --help=yes </dev/null
	expect_rc 2 "$cmd --help=yes"
	expect_grep err "errkb: $cmd: option '--help' takes no value" "$cmd --help=yes"
done
run list -d;             expect_rc 2 "list -d"; expect_grep err "errkb: list: option '-d' needs a value" "short option without its value"
run list --domian net;   expect_rc 2 "list --domian"; expect_grep err "errkb: list: unknown option '--domian'; did you mean '--domain'?" "misspelt option"
run list --format yaml;  expect_rc 2 "list --format yaml"; expect_grep err "--format takes text, tsv or json" "list format"
run list --lang fr;      expect_rc 2 "list --lang fr"
run list --min-confidence 2; expect_rc 2 "list --min-confidence 2"
run list 'conf>=high';   expect_rc 2 "list bad query"
expect_grep err "expected a number from 0 to 1" "query error says what"
expect_grep err "        ^" "query error points at the spot"
run show;                expect_rc 2 "show without id"; expect_grep err "give its ID" "show without id"
run show a b;            expect_rc 2 "show two ids"
run check --format xml;  expect_rc 2 "check --format xml"
# A global --lang sets the interface language of every command, those
# without a --lang of their own (check, index) included.
run --lang zh --kb "$TESTDATA/small" check
expect_rc 0 "--lang zh check"; expect_grep out "条记录" "--lang zh check speaks Chinese"
XDG_CACHE_HOME=$tmp/cache run -l zh --kb="$TESTDATA/small" index
expect_rc 0 "-l zh index"
run --lang=zh --kb "$TESTDATA/small" check --format json
expect_rc 0 "--lang=zh check --format json"
finish

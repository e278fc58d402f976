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
run list --format yaml;  expect_rc 2 "list --format yaml"; expect_grep err "--format takes text, tsv or json" "list format"
run list --lang fr;      expect_rc 2 "list --lang fr"
run list --min-confidence 2; expect_rc 2 "list --min-confidence 2"
run list 'conf>=high';   expect_rc 2 "list bad query"
expect_grep err "expected a number from 0 to 1" "query error says what"
expect_grep err "        ^" "query error points at the spot"
run show;                expect_rc 2 "show without id"; expect_grep err "give its ID" "show without id"
run show a b;            expect_rc 2 "show two ids"
run check --format xml;  expect_rc 2 "check --format xml"
finish

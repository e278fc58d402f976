#!/bin/sh
# The manual pages: both format without a single groff warning, and
# errkb(1) documents every long option that --help prints (for errkb and
# for each command) and every action of the browser, so that an option or
# action added to the code fails here until the manual has it.
. "${top_srcdir:-.}/tests/lib.sh"

man1="$top_srcdir/doc/errkb.1"
man5="$top_srcdir/doc/errkb-kb.5"
actions_h="$top_srcdir/src/ui/api/actions.h"

# groff -ww enables every warning; any output at all is a failure.
if command -v groff >/dev/null 2>&1; then
	for page in "$man1" "$man5"; do
		if groff -man -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
			ok
		else
			fail "groff warns on ${page##*/}"
			sed 's/^/  /' "$tmp/groff" | head -20
		fi
	done
else
	echo "groff not found: formatting of the pages not checked"
fi

# errkb.1 as plain words: hyphen, font and no-hyphenation escapes undone,
# and the arguments of the font macros (.B, .BR, ...) joined as groff
# joins them, so that `.BR x " [" move\-down ]` reads "x [move-down]".
sed -e 's/\\-/-/g' -e 's/\\%//g' -e 's/\\&//g' -e 's/\\f[BIRP]//g' "$man1" | awk '
/^\.(B|I|SM|SB|BR|RB|BI|IB|IR|RI) / {
	macro = $1
	line = substr($0, length(macro) + 2)
	out = ""
	n = length(line)
	i = 1
	while (i <= n) {
		c = substr(line, i, 1)
		if (c == " ") { i++; continue }
		arg = ""
		if (c == "\"") {
			for (i++; i <= n && substr(line, i, 1) != "\""; i++)
				arg = arg substr(line, i, 1)
			i++
		} else {
			for (; i <= n && substr(line, i, 1) != " "; i++)
				arg = arg substr(line, i, 1)
		}
		sep = (macro == ".B" || macro == ".I" || macro == ".SM" || macro == ".SB") && out != "" ? " " : ""
		out = out sep arg
	}
	print out
	next
}
{ print }' >"$tmp/man1.txt"

# in_manual WORD: WORD stands in the manual, not as part of a longer name.
in_manual() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|\$)" "$tmp/man1.txt"
}

# Long options, from errkb --help and from each command's --help: the
# commands are the ones --help lists, so a new command is checked too.
run --help
expect_rc 0 "errkb --help"
cp "$tmp/out" "$tmp/help"
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p' "$tmp/help")
ncommands=0
for cmd in $commands; do
	ncommands=$((ncommands + 1))
	if grep -qE "^\.SS \"?(\\\\%)?errkb $cmd( |\"|$)" "$man1"; then ok; else fail "errkb.1 has no section for the command '$cmd'"; fi
	run "$cmd" --help
	expect_rc 0 "errkb $cmd --help"
	cat "$tmp/out" >>"$tmp/help"
done
if [ "$ncommands" -ge 5 ]; then ok; else fail "found $ncommands commands in errkb --help: its format changed?"; fi

options=$(grep -oE -- '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u)
noptions=0
for opt in $options; do
	noptions=$((noptions + 1))
	if in_manual "$opt"; then ok; else fail "errkb.1 does not document $opt (printed by --help)"; fi
done
if [ "$noptions" -ge 10 ]; then ok; else fail "found $noptions long options in the --help texts: their format changed?"; fi

# Actions, by the names that the config file binds: the Keys list gives
# each one in brackets after its keys.
actions=$(sed -n 's/^[[:space:]]*X(ACT_[A-Z0-9_]*,[[:space:]]*"\([a-z0-9-]*\)".*/\1/p' "$actions_h")
nactions=0
for name in $actions; do
	nactions=$((nactions + 1))
	if grep -qF -- "[$name]" "$tmp/man1.txt"; then ok; else fail "errkb.1 does not document the action '$name' (src/ui/api/actions.h) as [$name]"; fi
done
if [ "$nactions" -ge 20 ]; then ok; else fail "found $nactions actions in src/ui/api/actions.h: its format changed?"; fi

finish

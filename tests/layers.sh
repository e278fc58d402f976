#!/bin/sh
# The layers hold: the compiler sees to the project's headers (each layer
# is built with the include paths it may use, Makefile.am), and this to
# the system's: no curses in src/kb (the model, store, search, text) nor
# in src/cli, whose browser is reached through src/ui/api/browse.h only.
# A file moved to the wrong layer, or an include that crosses one, fails
# here.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$top_srcdir" || exit 99
for f in src/kb/*.c src/kb/*.h src/cli/*.c src/cli/*.h src/ui/api/*.h; do
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(n?curses|term|ncursesw/[a-z]+)\.h>' "$f"; then
		fail "$f includes a curses header: only src/ui may"
	else
		ok
	fi
done
# The command line reaches the browser through its public face.
for f in src/cli/*.c src/cli/*.h; do
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(ui|draw)\.h"' "$f"; then
		fail "$f includes the browser's insides: use browse.h"
	else
		ok
	fi
done
# Every layer is where the build says (a source left at src/ would be
# built with no layer's rules).
for f in src/*.c src/*.h; do
	[ -e "$f" ] || continue
	fail "$f is in no layer (src/kb, src/ui, src/cli)"
done
finish

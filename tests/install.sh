#!/bin/sh
# make install into a temporary DESTDIR: the binary there runs with no
# environment at all and finds its KB and message catalogues; the man
# pages and completions are in place; make uninstall leaves nothing.
. "${top_srcdir:-.}/tests/lib.sh"
: "${abs_top_builddir:?run through make check}"
stage=$tmp/stage
# Not the jobserver of the make that runs the tests.
unset MAKEFLAGS MFLAGS
if ${MAKE:-make} -s -C "$abs_top_builddir" install DESTDIR="$stage" >"$tmp/install.log" 2>&1; then
	ok
else
	fail "make install"; tail -20 "$tmp/install.log"; finish
fi

bin=$stage$bindir/errkb
for f in "$bin" "$stage$mandir/man1/errkb.1" "$stage$mandir/man5/errkb-kb.5" \
	 "$stage$localedir/zh_CN/LC_MESSAGES/errkb.mo" \
	 "$stage$pkgdatadir/kb/communication/sip-401-unauthorized-credentials.json" \
	 "$stage$datadir/bash-completion/completions/errkb" \
	 "$stage$datadir/zsh/site-functions/_errkb"; do
	if [ -f "$f" ]; then ok; else fail "not installed: ${f#$stage}"; fi
done

# No ERRKB_PATH, no HOME, not even a locale: only what was installed.
env -i "$bin" list >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "installed errkb list"
n=$(wc -l <"$tmp/out")
if [ "$n" -eq "$(find "$stage$pkgdatadir/kb" -name '*.json' | wc -l)" ]; then ok; else fail "list shows $n records"; fi
expect_grep out "communication/sip-401-unauthorized-credentials" "a shipped record listed"
if [ -s "$tmp/err" ]; then fail "stderr not empty"; cat "$tmp/err"; else ok; fi
env -i LANGUAGE=zh_CN "$bin" --help >"$tmp/out" 2>&1
expect_grep out "用法" "installed catalogue found"
env -i "$bin" show communication/sip-401-unauthorized-credentials --lang zh >"$tmp/out" 2>&1
expect_grep out "根本原因" "Chinese headings from the installed catalogue"

if ${MAKE:-make} -s -C "$abs_top_builddir" uninstall DESTDIR="$stage" >"$tmp/uninstall.log" 2>&1; then
	ok
else
	fail "make uninstall"; tail -20 "$tmp/uninstall.log"
fi
find "$stage" -type f >"$tmp/left"
if [ -s "$tmp/left" ]; then fail "files left after uninstall:"; head "$tmp/left"; else ok; fi
finish

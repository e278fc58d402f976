#!/bin/sh
# Every UI string has a zh_CN translation: the template is made afresh
# from the sources (as `make update-po` would), merged with po/zh_CN.po,
# and any message left untranslated or fuzzy fails the test, by name.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 99
for tool in xgettext msgmerge msgattrib; do
	command -v "$tool" >/dev/null 2>&1 || { echo "no $tool: install gettext"; exit 77; }
done

# A source with translatable strings that po/POTFILES.in leaves out would
# never reach the catalogue.
for f in $(grep -l '_("\|N_("\|ngettext(' src/*/*.c src/*/*.h src/*/*/*.h | grep -v '^src/kb/i18n.h$'); do
	if grep -qx "$f" po/POTFILES.in; then ok; else fail "$f has UI strings but is not in po/POTFILES.in"; fi
done

xgettext --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --from-code=UTF-8 \
	--language=C --add-comments=TRANSLATORS: -o "$tmp/errkb.pot" \
	$(grep -v '^#' po/POTFILES.in)
count=$(grep -c '^msgid ' "$tmp/errkb.pot")
if [ "$count" -gt 150 ]; then ok; else fail "only $count messages extracted"; fi

for lang in $(cat po/LINGUAS); do
	msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/errkb.pot"
	msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid ' | sed 1d >"$tmp/missing"
	msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid ' | sed 1d >>"$tmp/missing"
	if [ -s "$tmp/missing" ]; then
		fail "$lang: $(wc -l <"$tmp/missing") messages without a translation (run make update-po):"
		sed 's/^/  /' "$tmp/missing" | head -20
	else
		ok
	fi
	# And the translations keep the msgid's printf conversions.
	if msgfmt -c -o /dev/null "po/$lang.po" 2>"$tmp/err"; then ok; else fail "$lang: msgfmt -c"; cat "$tmp/err"; fi
done
finish

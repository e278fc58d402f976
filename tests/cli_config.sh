#!/bin/sh
# The config file: what it sets, how bad lines are reported (FILE:LINE:
# message, the rest applied), --dump-config, --no-config, precedence.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99

XDG_CONFIG_HOME=$tmp/xdg; export XDG_CONFIG_HOME
mkdir -p "$tmp/xdg/errkb"
cfg=$tmp/xdg/errkb/config
# --dump-config prints KB paths resolved (no .., no symlinks).
small_abs=$(cd "$TESTDATA/small" && pwd -P)

# No file: the built-in settings, and where the file would be.
run --dump-config
expect_rc 0 "dump without a config"
expect_grep out "# config file: none ($cfg does not exist)" "where the file is looked for"
expect_grep out "language = en" "default language"
expect_grep out "mouse = on" "mouse on by default"
expect_grep out "selected = black on yellow" "built-in theme"
expect_grep out "move-down = j Down" "default keys"
expect_grep out "back = Backspace [" "Backspace named once for its codes"
expect_grep out "open = Enter" "Enter named once for its codes"

cat >"$cfg" <<'CFG'
# errkb config for the tests
language = zh
kb = $TESTDATA/small
mouse = off

[theme]
selected = white on 22 bold
heading = purple

[keys]
quit = Q Ctrl-c
move-down = j J Down
help = q
nosuch = x
copy = Hyper-y
CFG
sed -i "s|\$TESTDATA|$TESTDATA|" "$cfg"

run --dump-config
expect_rc 0 "dump with a config (bad lines are not fatal)"
expect_out "dump, its comments in the config's language" <<OUT
# errkb 当前生效的设置（'errkb --dump-config'）
# 配置文件：$cfg
language = zh
kb = $small_abs
mouse = off

[theme]
normal = default
title = white on blue
title-focus = black on cyan bold
selected = white on 22 bold
heading = yellow bold
label = cyan
mark = magenta bold
dim = blue bold
good = green
bad = red
id = green bold
link = cyan underline
status = black on white
border = blue
match = black on green bold

[keys]
help = q
move-down = j J Down
move-up = k Up
page-down = PgDn Space
page-up = PgUp b
first = g Home
last = G End
move-left = h Left
move-right = l Right
next-pane = Tab
previous-pane = Shift-Tab
open = Enter
back = Backspace [
forward = ]
toggle-language = L
search = /
next-hit = n
previous-hit = N
filters = f
confidence-up = +
confidence-down = -
confidence = C
clear = x
copy = y
copy-record = Y
open-doc = o
zoom = z
redraw = Ctrl-L
quit = Q Ctrl-C
OUT
expect_out_err() {
	cat >"$tmp/want"
	if cmp -s "$tmp/want" "$tmp/err"; then ok; else fail "$1: stderr differs"; diff -u "$tmp/want" "$tmp/err" | head -20; fi
}
expect_out_err "errors name file and line" <<ERR
$cfg:8: unknown colour or attribute 'purple' (colours: default, black, red, green, yellow, blue, magenta, cyan, white, 0-255; attributes: bold, underline, reverse, dim)
$cfg:14: unknown action 'nosuch' (the names are in 'errkb --dump-config' and errkb(1))
$cfg:15: unknown key 'Hyper-y' (a printable character, Up, Down, PgUp, Enter, Esc, F1-F12, Ctrl-X...)
ERR

# The config's KB and language are used by every command.
run list
expect_rc 0 "list with the config's kb"
expect_grep out "net/conn-refused" "config kb read"
expect_grep out "connect：连接被拒绝" "config language"
# The command line wins over the config, ERRKB_PATH too.
run list --lang en
expect_grep out "connect: Connection refused" "--lang over the config"
ERRKB_PATH=$TESTDATA/small/db.jsonl run list
expect_no_grep out "net/conn-refused" "ERRKB_PATH over the config's kb"
unset ERRKB_PATH
run --kb small/net list
expect_no_grep out "db/auth-failed" "--kb over the config's kb"
# Messages follow the config's language as well.
run list --help
expect_grep out "用法" "help in the config's language"

run --no-config --dump-config
expect_rc 0 "--no-config"
expect_grep out "# config file: not read (--no-config)" "--no-config said"
expect_grep out "language = en" "--no-config: default language"
expect_grep out "quit = q" "--no-config: default keys"
expect_out_err "--no-config: no errors" </dev/null
run --no-mouse --dump-config --lang en --kb small
expect_grep out "mouse = off" "--no-mouse"
expect_grep out "language = en" "--lang beside --dump-config"
expect_grep out "kb = $small_abs" "--kb beside --dump-config, made absolute"
run --no-config --dump-config
expect_grep out "# kb = " "the shipped KB shown as a comment"

# Key names at the edges, a commented heading, a byte order mark.
printf '\357\273\277mouse = off\n[keys] # mine\nquit = C-\nsearch = Ctrl-@\nopen = a b c d e f g Enter\nclear = ^X\n' >"$cfg"
run --dump-config
expect_grep out "mouse = off" "a BOM before the first line"
expect_grep out "clear = Ctrl-X" "^X read as Ctrl-X, after a commented heading"
expect_grep out "open = Enter" "a binding with too many codes changes nothing"
expect_out_err "edge key names" <<ERR
$cfg:3: unknown key 'C-' (a printable character, Up, Down, PgUp, Enter, Esc, F1-F12, Ctrl-X...)
$cfg:4: unknown key 'Ctrl-@' (a printable character, Up, Down, PgUp, Enter, Esc, F1-F12, Ctrl-X...)
$cfg:5: too many keys for 'open' (at most 8)
ERR
printf '[theme\nheading = red\n[theme]\nlink = %s\n' "$(printf 'x%.0s' $(seq 300))" >"$cfg"
run --dump-config
expect_grep err "$cfg:1: a section is written [name]; the lines up to the next section are skipped" "bad heading"
expect_grep err "unknown colour or attribute '$(printf 'x%.0s' $(seq 300))' (colours:" "a long word whole in the message"
expect_grep out "heading = yellow bold" "the lines of a bad section skipped"
rm "$cfg"

# An unreadable config (a directory) is reported; commands still run.
rm "$cfg"
mkdir "$cfg"
run --kb small list
expect_rc 0 "a config that cannot be read is not fatal"
expect_out_err "a directory as the config" <<ERR
errkb: cannot read $cfg: is a directory
ERR
rmdir "$cfg"

# Only a regular file of at most 1 MiB is read: a FIFO does not block (no
# writer ever comes), a link to /dev/zero is not read to the end of
# memory.  timeout: before the fix, the FIFO hung for ever.
mkfifo "$cfg"
timeout 60 "$ERRKB" --kb small list >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "a FIFO as the config: no wait"
expect_out_err "a FIFO as the config" <<ERR
errkb: cannot read $cfg: is a FIFO
ERR
rm "$cfg"
ln -s /dev/zero "$cfg"
timeout 60 "$ERRKB" --dump-config >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "a link to /dev/zero as the config"
expect_out_err "a link to /dev/zero as the config" <<ERR
errkb: cannot read $cfg: is a character device
ERR
expect_grep out "mouse = on" "the built-in settings in force"
rm "$cfg"
# 1 MiB of comments and one setting: read; a byte more: refused whole.
{ echo "mouse = off"; head -c $((1024 * 1024 - 13)) /dev/zero | tr '\0' '#'; echo; } >"$cfg"
run --dump-config
expect_rc 0 "a config of 1 MiB"
expect_grep out "mouse = off" "a config of 1 MiB is read"
expect_out_err "a config of 1 MiB: no error" </dev/null
echo >>"$cfg"
run --dump-config
expect_rc 0 "a config over 1 MiB is not fatal"
expect_grep out "mouse = on" "a config over 1 MiB is not applied"
expect_out_err "a config over 1 MiB" <<ERR
errkb: cannot read $cfg: larger than 1 MiB
ERR
rm "$cfg"

# A relative XDG_CONFIG_HOME is invalid (XDG spec): HOME's is used.
XDG_CONFIG_HOME=relative HOME=$tmp/home run --dump-config
expect_grep out "# config file: none ($tmp/home/.config/errkb/config does not exist)" "relative XDG_CONFIG_HOME ignored"

finish

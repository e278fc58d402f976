#!/bin/sh
# errkb --complete, and the bash and zsh scripts that ask it.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TESTDATA" || exit 99
scripts=$top_srcdir/data/completion

expect_quiet() {
	if [ -s "$tmp/err" ]; then fail "$1: stderr not empty"; sed 's/^/  /' "$tmp/err" | head -5; else ok; fi
}

# comp CWORD WORD...: completion succeeds quietly; candidates in $tmp/out.
comp() {
	run --complete "$@"
	expect_rc 0 "--complete $*"
	expect_quiet "--complete $*"
}

comp 1 errkb
expect_out "commands and global options" <<'OUT'
--dump-config
--help
--kb
--lang
--no-cache
--no-config
--no-mouse
--version
-V
-h
-k
-l
check
index
list
match
pick
show
OUT
# Ids are KB text, so untrusted: one with a bidi override, a C1 control
# or an escape never reaches the shell's list.
printf '%s\n' \
	'{"id": "h/ok", "signature": "s", "domain": "d", "category": "c"}' \
	'{"id": "h/\u202egnp", "signature": "s", "domain": "d", "category": "c"}' \
	'{"id": "h/\u0085nel", "signature": "s", "domain": "d", "category": "c"}' \
	'{"id": "h/\u001b[2J", "signature": "s", "domain": "d", "category": "c"}' >"$tmp/hostile.jsonl"
comp 4 errkb --kb "$tmp/hostile.jsonl" show h/
expect_out "hostile ids left out" <<'OUT'
h/ok
OUT
comp 1 errkb li
expect_out "command" <<'OUT'
list
OUT
comp 1 errkb --no
expect_out "global options" <<'OUT'
--no-cache
--no-config
--no-mouse
OUT
comp 2 errkb list --dom
expect_out "list option" <<'OUT'
--domain
OUT
comp 2 errkb check -
expect_out "check options" <<'OUT'
--format
--help
--kb
--strict
-f
-h
-k
-s
OUT

# Values from the KB in force: --kb on the line, before or after the
# command, in every form; else ERRKB_PATH.
comp 5 errkb list --kb small --domain
expect_out "--domain values" <<'OUT'
db
net
OUT
comp 4 errkb --kb=small list -d n
expect_out "-d value" <<'OUT'
net
OUT
comp 3 errkb list -ksmall --category=
expect_out "--category= values" <<'OUT'
--category=auth_error
--category=connection_error
--category=resource_error
--category=timeout_error
OUT
comp 7 errkb --kb small/net list --kb small/db.jsonl --domain
expect_out "--kb repeated" <<'OUT'
db
net
OUT
ERRKB_PATH=small/net comp 3 errkb list --domain
expect_out "ERRKB_PATH" <<'OUT'
net
OUT
# The config file's kb lines, unless --no-config; its complaints are for
# the commands to make.
mkdir -p "$tmp/cfg/errkb"
printf 'kb = %s\nbogus = 1\n' "$TESTDATA/small/net" >"$tmp/cfg/errkb/config"
XDG_CONFIG_HOME=$tmp/cfg comp 3 errkb list --domain
expect_out "config kb" <<'OUT'
net
OUT
XDG_CONFIG_HOME=$tmp/cfg comp 4 errkb --no-config list --domain
expect_grep out "networking" "--no-config: the shipped KB"
if grep -qx net "$tmp/out"; then fail "--no-config: the config's KB"; else ok; fi
comp 4 errkb --kb small show net/
expect_out "show ids" <<'OUT'
net/conn-refused
net/timeout
OUT
comp 5 errkb --kb small show net/timeout ''
expect_out "show takes one id" </dev/null
comp 4 errkb --kb small list domain:
expect_out "domain: values" <<'OUT'
domain:db
domain:net
OUT
comp 5 errkb --kb small list sip cat:t
expect_out "cat: value" <<'OUT'
cat:timeout_error
OUT
comp 5 errkb --kb small list -- -dom:
expect_out "excluding dom: value" <<'OUT'
-dom:db
-dom:net
OUT
comp 4 errkb --kb small list conn
expect_out "plain query word" </dev/null
comp 5 errkb --kb small pick foo --k
expect_out "pick: options end at the query" </dev/null

comp 3 errkb list --format
expect_out "list --format" <<'OUT'
json
text
tsv
OUT
comp 2 errkb show --format=
expect_out "show --format=" <<'OUT'
--format=json
--format=text
OUT
comp 2 errkb --lang
expect_out "--lang" <<'OUT'
en
zh
OUT
comp 3 errkb list --resolvable p
expect_out "--resolvable" <<'OUT'
partial
OUT
comp 2 errkb match --order=
expect_out "match --order=" <<'OUT'
--order=log
--order=score
OUT
comp 3 errkb match -o l
expect_out "match -o" <<'OUT'
log
OUT

# File names are the shell's job.
for words in "2 errkb --kb" "2 errkb -k" "1 errkb --kb=sm" "3 errkb list --kb sm" \
	     "2 errkb check sm" "4 errkb check --strict small x" "2 errkb match ''"; do
	eval "comp $words"
	expect_out "@files: $words" <<'OUT'
@files
OUT
done
comp 3 errkb match log ''
expect_out "match takes one file" </dev/null

# Odd input: nothing, quietly.
for words in "" "1" "99 errkb list" "0 errkb" "-1 errkb" "x errkb" "2x errkb list" \
	     "3 errkb frob ''" "2 errkb '' ''" "3 errkb --kb"; do
	eval "comp $words"
	expect_out "odd input: $words" </dev/null
done
# A broken KB is check's business, not the completion's.
comp 4 errkb --kb bad list --category=
expect_grep out "--category=" "bad KB still completes"
comp 4 errkb --kb /nonexistent show ''
expect_out "missing KB" </dev/null

# The tables agree with the commands: each --help's options are completed,
# each option completed is known to the command, each format accepted.
comp 1 errkb -
for opt in $(cat "$tmp/out"); do
	run "$opt" --help
	expect_no_grep err "unknown option" "global $opt"
done
for cmd in list show check match pick; do
	"$ERRKB" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u >"$tmp/help"
	comp 2 errkb "$cmd" --
	if cmp -s "$tmp/help" "$tmp/out"; then ok; else fail "$cmd: options differ from --help"; diff "$tmp/help" "$tmp/out"; fi
	comp 2 errkb "$cmd" -
	for opt in $(cat "$tmp/out"); do
		case $opt in -k|--kb|-h|--help) continue ;; esac
		run "$cmd" --kb small "$opt" --help
		expect_no_grep err "unrecognized option" "$cmd $opt"
		expect_no_grep err "invalid option" "$cmd $opt"
	done
	comp 3 errkb "$cmd" --format
	for f in $(cat "$tmp/out"); do
		run "$cmd" --format "$f" --help
		expect_rc 0 "$cmd --format $f"
	done
done

# The bash script, as bash calls it: COMP_LINE and COMP_POINT for the
# line, COMP_WORDS split at the word breaks (':' and '=' too).
cat >"$tmp/drive.bash" <<'EOF'
. "$1" || exit 1
COMP_WORDBREAKS=$' \t\n"\'@><=;|&(:'
COMP_LINE=$2
COMP_POINT=${#2}
COMP_WORDS=()
w=
for ((i = 0; i < ${#2}; i++)); do
	c=${2:i:1}
	if [[ $c == [[:blank:]] || $COMP_WORDBREAKS == *"$c"* ]]; then
		[[ -n $w ]] && COMP_WORDS+=("$w")
		w=
		[[ $c != [[:blank:]] ]] && COMP_WORDS+=("$c")
	else
		w+=$c
	fi
done
COMP_WORDS+=("$w")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_errkb errkb "$w" "${COMP_WORDS[COMP_CWORD - 1]}"
[[ $(complete -p errkb) == "complete -F _errkb errkb" ]] || echo "not registered"
printf '%s\n' "${COMPREPLY[@]}"
EOF
# bash_comp LINE: the COMPREPLY for LINE, with $bash_path as PATH: the
# errkb just built first.
bash=$(command -v bash)
bash_path="${ERRKB%/*}:$PATH"
bash_comp() {
	PATH=$bash_path "$bash" --norc --noprofile "$tmp/drive.bash" "$scripts/errkb" "$1" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 0 "bash: $1"
	expect_quiet "bash: $1"
}

bash_comp "errkb li"
expect_out "bash: command" <<'OUT'
list
OUT
bash_comp "errkb --kb small list domain:n"
expect_out "bash: domain: with the colon" <<'OUT'
net
OUT
bash_comp "errkb --kb small list -- -cat:"
expect_out "bash: -cat:" <<'OUT'
auth_error
connection_error
resource_error
timeout_error
OUT
bash_comp "errkb --kb=small list --domain="
expect_out "bash: --domain=" <<'OUT'
db
net
OUT
bash_comp "errkb --kb small show net/t"
expect_out "bash: id" <<'OUT'
net/timeout
OUT
bash_comp "errkb --kb sm"
expect_out "bash: --kb file" <<'OUT'
small
OUT
bash_comp "errkb --kb=small/n"
expect_out "bash: --kb= file" <<'OUT'
small/net
OUT
bash_comp "errkb list --format "
expect_out "bash: --format" <<'OUT'
json
text
tsv
OUT
bash_comp "errkb list foo "
expect_out "bash: nothing" <<'OUT'

OUT
# The errkb typed, not the one on PATH.
bash_path=/nonexistent
bash_comp "$ERRKB --kb small sh"
expect_out "bash: errkb by path" <<'OUT'
show
OUT

# The zsh script: its syntax, and a real completion in an interactive zsh
# on a pseudo-terminal (zpty), where compadd is wrapped to print what it
# is given.  The shell exits when the completion is done, so the reading
# ends; timeout only guards against a hang.
if command -v zsh >/dev/null 2>&1; then
	if zsh -n "$scripts/_errkb" 2>"$tmp/err"; then ok; else fail "zsh -n _errkb"; cat "$tmp/err"; fi
	cat >"$tmp/drive.zsh" <<'EOF'
zmodload zsh/zpty 2>/dev/null || exit 77
zpty z zsh -f -i || exit 77
zpty -w z "PS1= PS2= RPS1=; fpath=(${(q)1} \$fpath)"
zpty -w z 'autoload -Uz compinit && compinit -u -D'
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
	local -a __hits __p __P __s __S
	builtin compadd -A __hits "$@"
	zparseopts -E -D p:=__p P:=__P s:=__s S:=__S 2>/dev/null
	local h
	for h in $__hits; do print -r -- "<match>$IPREFIX${__P[2]}${__p[2]}$h${__s[2]}${__S[2]}</match>"; done
}'
zpty -w z 'comppostfuncs=(exit)'
# Split, so that the echo of the command is not taken for its output.
zpty -w z 'print -r -- "<rea""dy>"'
while zpty -r z line; do [[ $line == *'<ready>'* ]] && break; done
zpty -w -n z "$2"$'\t'
while zpty -r z line; do
	line=${line%$'\r'}
	[[ $line == *'<match>'*'</match>'* ]] || continue
	line=${line#*<match>}
	print -r -- "${line%</match>*}"
done
zpty -d z 2>/dev/null
exit 0
EOF
	# zsh_comp LINE: the matches, as they would be inserted.
	zsh_comp() {
		PATH="${ERRKB%/*}:$PATH" timeout 120 zsh -f "$tmp/drive.zsh" "$scripts" "$1" \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
	}
	zsh_comp "errkb li"
	if [ "$rc" -eq 77 ]; then
		echo "zsh has no zpty module: real zsh completion skipped"
	else
		expect_rc 0 "zsh: command"
		expect_out "zsh: command" <<'OUT'
list
OUT
		zsh_comp "errkb --kb small list domain:"
		expect_out "zsh: domain:" <<'OUT'
domain:db
domain:net
OUT
		zsh_comp "errkb --kb small list --category=t"
		expect_out "zsh: --category=" <<'OUT'
--category=timeout_error
OUT
		zsh_comp "errkb --kb small show net/"
		expect_out "zsh: ids" <<'OUT'
net/conn-refused
net/timeout
OUT
		zsh_comp "errkb --kb=small/n"
		expect_out "zsh: --kb= file" <<'OUT'
--kb=small/net
OUT
		zsh_comp "errkb list foo"
		expect_out "zsh: nothing" </dev/null
	fi
else
	echo "zsh not installed: zsh completion checks skipped"
fi
finish

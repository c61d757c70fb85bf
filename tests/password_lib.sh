# Sourced by tests/e2e_password.sh and tests/e2e_password_inode.sh, after
# tests/lib.sh: running password on one command, and its output checked.

# pw OUT FILE OPTS CMD ARGS...: mini-trace password --file FILE OPTS -- CMD
# ARGS; mini-trace's status in $rc, CMD's in $st.  OPTS is one word or "".
pw() {
	pw_out=$1 pw_file=$2 pw_opts=$3
	shift 3
	rm -f "$TMP/status"
	# shellcheck disable=SC2086 # OPTS is split on purpose
	mt "$pw_out" password -q --file "$pw_file" $pw_opts -- \
		sh -c '"$@"; echo $? >"$0"' "$TMP/status" "$@"
	st=$(cat "$TMP/status" 2>/dev/null || echo none)
}

# lines NAME EXPECTED OUT: OUT, with each "pid=N tid=N" (one thread: the same
# N twice) written "pid=P tid=P", is exactly EXPECTED; and mini-trace and the
# command both succeeded and nothing was said on stderr (no lost events).
lines() {
	sed 's/^pid=\([0-9][0-9]*\) tid=\1 /pid=P tid=P /' "$3" >"$3.n"
	cp "$3.err" "$3.n.err"
	expect_out "$1" "$2" "$3.n"
	check "$1: status 0, command status 0, stderr empty" \
		test "$rc/$st/$(cat "$3.err")" = "0/0/"
}

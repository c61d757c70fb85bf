# Sourced by tools/fetch-musl.sh and tests/vm/fetch-kernels.sh: apt-get with
# a private, temporary state, to download Debian packages of any suite and
# architecture without root and without changing the machine's apt (no
# "dpkg --add-architecture": afterwards a foreign architecture's missing
# index breaks the machine's own "apt-get update").
#
# The caller defines die() and may set MINI_TRACE_MIRROR.

# The archive: the first apt source that is Debian's own (not its security
# archive), from the Release files apt has already fetched.
mirror() {
	if [ -n "${MINI_TRACE_MIRROR:-}" ]; then
		echo "$MINI_TRACE_MIRROR"
		return
	fi
	# shellcheck disable=SC2016
	uri=$(apt-get indextargets --format '$(REPO_URI)' 'Identifier: Packages' \
		'Origin: Debian' 'Label: Debian' 2>/dev/null | head -n 1)
	[ -n "$uri" ] || die "no Debian archive among apt's sources: run 'apt-get update', or set MINI_TRACE_MIRROR"
	echo "$uri"
}

# apt_state DIR SUITE ARCH: sets $apt to apt's options for a private state
# in DIR that knows only SUITE's main component for ARCH, and fetches its
# package list.  Options, not a config file, so that all of it shows here.
# The sandbox user is us: _apt may not enter root's home.
apt_state() {
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial" "$1/none"
	: >"$1/status"
	echo "deb [arch=$3] $(mirror) $2 main" >"$1/sources.list"
	apt="-o Dir::Etc::SourceList=$1/sources.list -o Dir::Etc::SourceParts=$1/none
	     -o Dir::Etc::Preferences=$1/none/preferences -o Dir::Etc::PreferencesParts=$1/none
	     -o Dir::State::Lists=$1/lists -o Dir::Cache=$1/cache
	     -o Dir::State::status=$1/status -o Debug::NoLocking=1
	     -o APT::Architecture=$3 -o APT::Architectures=$3
	     -o APT::Sandbox::User=$(id -un)"
	# shellcheck disable=SC2086
	apt-get $apt -q update >"$1/update.log" 2>&1 ||
		{ cat "$1/update.log" >&2; die "apt-get update failed for $2 $3"; }
	echo "  $(grep '^Fetched' "$1/update.log") ($2 $3 package list)"
}

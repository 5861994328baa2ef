#!/usr/bin/env bash
# need.sh installs the machine programs a target needs, when they are missing.
#
#   scripts/need.sh [-q] WHAT...     WHAT: a target (run, test, ci) or a tool name
#
# `make run`, `make test` and .ci/run call it, so that a fresh Debian or Ubuntu
# machine needs nothing but Go, make and these two commands. A missing tool is
# installed with apt-get when we are root or may use sudo without a password;
# otherwise the script prints the exact command to run and stops (status 1).
# -q prints nothing when everything is present.
#
# To need another program, add one line to TOOLS: its name, the targets that
# need it (comma-separated), its Debian package, and a shell check that
# succeeds (printing where or which version) when it is present. For example
#   chromium   test,ci    chromium     command -v chromium
#   pgbouncer  test,ci    pgbouncer    command -v pgbouncer
set -euo pipefail

TOOLS='
make      ci          make         command -v make
postgres  run,test,ci postgresql   pg_version
chromium  test,ci     chromium     command -v chromium || ls /usr/bin/chromium
pgbouncer test,ci     pgbouncer    command -v pgbouncer || ls /usr/sbin/pgbouncer
'

# pg_bindir prints the directory internal/pgserver takes the PostgreSQL
# server programs from: postgres and initdb on PATH, else the highest version
# under /usr/lib/postgresql/*/bin (where Debian puts them, off PATH).
pg_bindir() {
	local p
	if p=$(command -v postgres) && command -v initdb >/dev/null; then
		dirname "$(readlink -f "$p")"
		return
	fi
	for p in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rV); do
		if [ -x "$p/postgres" ] && [ -x "$p/initdb" ]; then
			echo "$p"
			return
		fi
	done
	return 1
}

pg_version() {
	local dir
	dir=$(pg_bindir) && echo "$("$dir/postgres" --version) in $dir"
}

quiet=
if [ "${1:-}" = -q ]; then
	quiet=1
	shift
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 [-q] WHAT... (a target: run, test, ci; or a tool name)" >&2
	exit 2
fi

# Which tools are asked for: those named, and those needed by a target named.
wanted=() packages=() seen=()
for what in "$@"; do
	known=
	while read -r name targets package check; do
		[ -n "$name" ] || continue
		if [ "$what" = "$name" ] || [[ ",$targets," == *",$what,"* ]]; then
			known=1
			[[ " ${seen[*]} " == *" $name "* ]] && continue
			seen+=("$name")
			if out=$(eval "$check" 2>/dev/null); then
				[ -n "$quiet" ] || echo "need: $name: $out"
			else
				wanted+=("$name") packages+=("$package")
			fi
		fi
	done <<<"$TOOLS"
	if [ -z "$known" ]; then
		echo "need: unknown target or tool \"$what\" (see TOOLS in $0)" >&2
		exit 2
	fi
done

[ ${#packages[@]} -gt 0 ] || exit 0

# The packages, each once.
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
install="apt-get update && apt-get install -y --no-install-recommends ${packages[*]}"

sudo=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo=sudo
	else
		sudo=none
	fi
fi
if ! command -v apt-get >/dev/null || [ "$sudo" = none ]; then
	{
		echo "need: missing ${wanted[*]} (Debian package: ${packages[*]})."
		if command -v apt-get >/dev/null; then
			echo "Install it once as root, then run this again:"
			echo
			echo "    sudo sh -c '$install'"
		else
			echo "This is not a Debian-like system: install the package's equivalent, then run this again."
		fi
	} >&2
	exit 1
fi

echo "need: installing ${packages[*]} (for ${wanted[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >&2

# Check again: a package that installs but does not provide what was checked
# is worth a clear stop here rather than a confusing failure later.
while read -r name targets package check; do
	[ -n "$name" ] || continue
	for w in "${wanted[@]}"; do
		if [ "$w" = "$name" ]; then
			if out=$(eval "$check" 2>/dev/null); then
				[ -n "$quiet" ] || echo "need: $name: $out"
			else
				echo "need: $name is still missing after installing $package" >&2
				exit 1
			fi
		fi
	done
done <<<"$TOOLS"

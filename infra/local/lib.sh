# Shared helpers for infra/local/up, infra/local/down and infra/test/run. Source it; do not run it.
# Needs bash 4+. Callers set -euo pipefail.
# shellcheck shell=bash disable=SC2034,SC2016,SC2012

DSPLANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
PG_CLUSTER="${PG_CLUSTER:-main}"   # Debian cluster name that ensure_postgres may start

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# --- Java ------------------------------------------------------------------------------------------

# Sets JAVA to a java binary of version 17 or newer, or fails with a clear message.
require_java17() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    JAVA="${JAVA_HOME}/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    die "no Java found. Install a JDK 17 or newer (Debian: apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME."
  fi
  local major
  major="$(java_major "$JAVA")"
  if (( major < 17 )); then
    die "$JAVA is Java '${major/#0/unknown}'; this project needs Java 17 or newer (set JAVA_HOME to a JDK 17+)."
  fi
  export JAVA
}

# java_major JAVA: the feature release of that java binary (17, 21, 25, ...), or 0 when unreadable.
java_major() {
  local spec major
  spec="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  major="${spec#1.}"; major="${major%%.*}"
  [[ "$major" =~ ^[0-9]+$ ]] && echo "$major" || echo 0
}

# Sets JAVA to the JVM the control plane runs on, and RUNTIME_JAVA_OPTS to what that JVM adds to the
# services' default options. JAVA_HOME decides when set. Otherwise the newest Java 17+ among `java` on
# the PATH and the JDKs under DSPLANE_JVM_DIR (/usr/lib/jvm, where Debian and Temurin install them):
# on the same 2-core machine, Java 25 converged 5,000 nodes x 20 DaemonSets in 81 s against Java 17's
# 98 s, with 17 % less CPU per pod (docs/benchmarks.md, round 6). RuntimeJavaSelectionTest covers it.
# From Java 25 on, the services use compact object headers (8-byte headers; 21 % less live heap in the
# scheduler at 500 x 10). The build and the tests keep the default java.
select_runtime_java() {
  RUNTIME_JAVA_OPTS=""
  if [[ -n "${JAVA_HOME:-}" ]]; then
    require_java17
  else
    local best="" best_major=0 candidate major
    for candidate in "$(command -v java 2>/dev/null || true)" "${DSPLANE_JVM_DIR:-/usr/lib/jvm}"/*/bin/java; do
      [[ -n "$candidate" && -x "$candidate" ]] || continue
      major="$(java_major "$candidate")"
      if (( major > best_major )); then
        best="$candidate"; best_major="$major"
      fi
    done
    if (( best_major < 17 )); then
      require_java17 # fails with its message
    fi
    JAVA="$best"
    export JAVA
  fi
  if (( $(java_major "$JAVA") >= 25 )); then
    RUNTIME_JAVA_OPTS="-XX:+UseCompactObjectHeaders"
  fi
}

# --- TCP / HTTP ------------------------------------------------------------------------------------

# port_open HOST PORT: true when something accepts a TCP connection there.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1
}

# http_status URL: prints the HTTP status code (000 when nothing answers).
http_status() {
  local url="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 3 -w '%{http_code}' "$url" 2>/dev/null || true
    return 0
  fi
  # Fallback without curl: plain HTTP/1.0 over bash's /dev/tcp (http://HOST:PORT/PATH only).
  local rest="${url#http://}" hostport path host port line
  hostport="${rest%%/*}"; path="/${rest#*/}"; host="${hostport%%:*}"; port="${hostport##*:}"
  line="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
           printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3
           head -n1 <&3' "$host" "$port" "$path" 2>/dev/null || true)"
  if [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]]; then printf '%s' "${BASH_REMATCH[1]}"; else printf '000'; fi
}

# --- pid files -------------------------------------------------------------------------------------

# pid_alive PIDFILE MARKER: true when PIDFILE names a live process whose command line contains MARKER
# (guards against a recycled pid belonging to someone else).
pid_alive() {
  local pidfile="$1" marker="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  fi
  return 0
}

pid_of() { tr -dc '0-9' <"$1"; }

# await_exit NAME PID GRACE_SECONDS: waits for PID (already sent SIGTERM) to end; SIGKILL after GRACE.
await_exit() {
  local name="$1" pid="$2" grace="$3" waited=0
  while kill -0 "$pid" 2>/dev/null && (( waited < grace * 10 )); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "  $name: still running ${grace}s after SIGTERM, sending SIGKILL (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}

# report_not_running NAME PIDFILE: says so and removes a stale pid file.
report_not_running() {
  if [[ -f "$2" ]]; then
    say "  $1: not running (removing stale pid file)"
    rm -f "$2"
  else
    say "  $1: not running"
  fi
}

# stop_pidfile NAME PIDFILE MARKER [GRACE_SECONDS]: TERM, wait, then KILL; removes the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" marker="$3" grace="${4:-30}" pid
  if ! pid_alive "$pidfile" "$marker"; then
    report_not_running "$name" "$pidfile"
    return 0
  fi
  pid="$(pid_of "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  await_exit "$name" "$pid" "$grace"
  rm -f "$pidfile"
  say "  $name: stopped (pid $pid)"
}

# show_log_tail FILE [LINES]
show_log_tail() {
  local file="$1" lines="${2:-60}"
  if [[ -f "$file" ]]; then
    warn "----- last $lines lines of $file -----"
    tail -n "$lines" "$file" >&2 || true
    warn "----- end of $file -----"
  else
    warn "(no log file $file)"
  fi
}

# --- PostgreSQL ------------------------------------------------------------------------------------

psql_admin() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -w -v ON_ERROR_STOP=1 -X -q "$@"
}

pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}

pg_login_works() {
  psql_admin -d postgres -Atc 'select 1' >/dev/null 2>&1
}

pg_cluster_version() {
  ls /etc/postgresql 2>/dev/null | head -1
}

# Makes password-less logins of $PG_USER on 127.0.0.1 work on a stock Debian cluster (which asks for a
# password there): inserts 'trust' rules for the loopback addresses at the top of pg_hba.conf. Only
# when we are root and the file is there; idempotent.
pg_allow_loopback_trust() {
  local version hba
  version="$(pg_cluster_version)"
  hba="/etc/postgresql/${version}/${PG_CLUSTER}/pg_hba.conf"
  [[ -n "$version" && -w "$hba" && "$(id -u)" == 0 ]] || return 1
  if ! grep -q '^# dsplane: password-less loopback logins' "$hba"; then
    say "PostgreSQL: allowing password-less logins on 127.0.0.1/::1 in $hba (local development setup)"
    local tmp
    tmp="$(mktemp)"
    {
      echo '# dsplane: password-less loopback logins for development and tests (infra/local/lib.sh)'
      echo 'host    all             all             127.0.0.1/32            trust'
      echo 'host    all             all             ::1/128                 trust'
      cat "$hba"
    } >"$tmp"
    cat "$tmp" >"$hba"
    rm -f "$tmp"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" "$PG_CLUSTER" reload >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 50); do pg_login_works && return 0; sleep 0.2; done
  return 1
}

# Ensures PostgreSQL answers on $PG_HOST:$PG_PORT and $PG_USER can log in without a password.
ensure_postgres() {
  command -v psql >/dev/null 2>&1 || die "psql (PostgreSQL client) not found.
  Install PostgreSQL 15+ (Debian/Ubuntu: apt-get install -y postgresql), start it
  (pg_ctlcluster --skip-systemctl-redirect 15 main start) and make user '$PG_USER' able to log in on
  $PG_HOST:$PG_PORT without a password (trust in pg_hba.conf). .ci/run does all of this."
  if ! pg_answers; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -n "$(pg_cluster_version)" ]]; then
      local version
      version="$(pg_cluster_version)"
      say "PostgreSQL: not answering on $PG_HOST:$PG_PORT, starting cluster $version/$PG_CLUSTER"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$PG_CLUSTER" start 2>&1 || true
      local i
      for i in $(seq 1 150); do pg_answers && break; sleep 0.2; done
    fi
    pg_answers || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT.
  Start it (Debian: pg_ctlcluster --skip-systemctl-redirect <version> main start; see pg_lsclusters)
  or install it (apt-get install -y postgresql)."
  fi
  if ! pg_login_works; then
    pg_allow_loopback_trust || die "PostgreSQL answers on $PG_HOST:$PG_PORT but user '$PG_USER' cannot log in
  without a password. Allow it for the loopback address, e.g. put
    host all all 127.0.0.1/32 trust
  first in pg_hba.conf and reload PostgreSQL (or export PGPASSWORD for psql)."
  fi
}

# ensure_database NAME: creates the database when it does not exist.
ensure_database() {
  local db="$1"
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad database name '$db'"
  if [[ "$(psql_admin -d postgres -Atc "select 1 from pg_database where datname = '$db'")" != 1 ]]; then
    psql_admin -d postgres -c "create database $db" >/dev/null \
      || [[ "$(psql_admin -d postgres -Atc "select 1 from pg_database where datname = '$db'")" == 1 ]] \
      || die "could not create database $db"
    say "PostgreSQL: created database $db"
  fi
}

# Shared by infra/sim/run, infra/sim/demo, infra/bench/run and infra/bench/jfr-top. Source it; do not run it.
# shellcheck shell=bash disable=SC2034

# shellcheck source=infra/local/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../local" && pwd)/lib.sh"

FLEET_SIM_JAR="infra/fleet-sim/target/fleet-sim-0.1.0-SNAPSHOT.jar"
FLEET_SIM_CP="infra/fleet-sim/target/lib/*:$FLEET_SIM_JAR"
SIM_RUN_DIR="$DSPLANE_ROOT/infra/sim/.run"

# ensure_fleet_sim: builds infra/fleet-sim (and what it needs) when its jar or classpath is missing.
ensure_fleet_sim() {
  if [[ ! -f "$DSPLANE_ROOT/$FLEET_SIM_JAR" || ! -d "$DSPLANE_ROOT/infra/fleet-sim/target/lib" ]]; then
    say "Building the fleet simulator (./mvnw -B -q package -pl infra/fleet-sim -am -DskipTests) ..."
    (cd "$DSPLANE_ROOT" && ./mvnw -B -q package -pl infra/fleet-sim -am -DskipTests) \
      || die "the build of infra/fleet-sim failed (see above)"
  fi
}

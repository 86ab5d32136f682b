#!/usr/bin/env bash
# npm run test:production: starts KurrentDB and the MongoDB replica set of docker/docker-compose.yml
# (the pair only, under a project name and host ports of its own, so a running stack is never
# touched), runs the suites that need a real pair against it, prints a summary and removes the
# pair with its volumes, whatever happens. Without a Docker engine it says so in one line and
# exits 0. What it proves and what not: docs/production.md.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker >/dev/null 2>&1; then
  echo 'test:production skipped: docker is not installed (run it where a Docker engine is, before going live)'
  exit 0
fi
if ! docker info >/dev/null 2>&1; then
  echo 'test:production skipped: no Docker engine answers `docker info` (run it where one does, before going live)'
  exit 0
fi
if docker compose version >/dev/null 2>&1; then
  compose_command=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose_command=(docker-compose)
else
  echo 'test:production: a Docker engine is here but neither `docker compose` nor `docker-compose`' >&2
  exit 1
fi

project="bansos-production-test-$$"
free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}
export KURRENTDB_HOST_PORT="$(free_port)"
export MONGODB_HOST_PORT="$(free_port)"
while [ "$MONGODB_HOST_PORT" = "$KURRENTDB_HOST_PORT" ]; do MONGODB_HOST_PORT="$(free_port)"; done

# env.example only satisfies the app service's required variables: the app is never started.
compose() {
  "${compose_command[@]}" -p "$project" --env-file docker/env.example \
    -f docker/docker-compose.yml "$@"
}

tear_down() {
  echo "test:production: removing the pair ($project) and its volumes"
  compose down --volumes --remove-orphans >/dev/null 2>&1
}
trap tear_down EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
echo "test:production: starting KurrentDB and MongoDB ($project)"
if ! compose up -d kurrentdb mongodb; then
  echo 'test:production: the pair did not start' >&2
  exit 1
fi

# Healthy means: KurrentDB answers /health/live, MongoDB is the writable primary of rs0.
wait_healthy() {
  local service=$1 container status
  container=$(compose ps -q "$service")
  for _ in $(seq 1 90); do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$container" 2>/dev/null)
    [ "$status" = healthy ] && { echo "$container"; return 0; }
    sleep 2
  done
  echo "test:production: $service is not healthy after 3 minutes; its last log lines:" >&2
  docker logs --tail 30 "$container" >&2
  return 1
}
kurrentdb_container=$(wait_healthy kurrentdb) || exit 1
mongodb_container=$(wait_healthy mongodb) || exit 1

# From the host: KurrentDB without TLS, MongoDB by direct connection (docs/production.md).
export PRODUCTION_PAIR=1
export PRODUCTION_KURRENTDB_CONTAINER="$kurrentdb_container"
export PRODUCTION_MONGODB_CONTAINER="$mongodb_container"
export EVENTSTORE_URL="kurrentdb://127.0.0.1:${KURRENTDB_HOST_PORT}?tls=false"
export MONGODB_URL="mongodb://127.0.0.1:${MONGODB_HOST_PORT}/bansos_production_test?directConnection=true"

summary=()
failed=0
# One jest run per group, in band: the production suites restart and step down the servers.
run_group() {
  local name=$1 group_started=$SECONDS
  shift
  echo "test:production: $name"
  if npx jest --runInBand "$@"; then
    summary+=("passed  $name ($((SECONDS - group_started)) s)")
  else
    summary+=("FAILED  $name ($((SECONDS - group_started)) s)")
    failed=1
  fi
}
# The production suites first, while the event store holds only the service's own events.
run_group 'e2e and reliability on the pair (test/production)' test/production
run_group 'contract suites (KurrentDB, MongoDB)' 'test/contract/(kurrentdb|mongo)'

echo
echo "test:production summary (KurrentDB ${kurrentdb_container:0:12}, MongoDB ${mongodb_container:0:12}):"
printf '  %s\n' "${summary[@]}"
echo "  $((SECONDS - started)) s in all"
exit "$failed"

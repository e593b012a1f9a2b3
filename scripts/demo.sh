#!/usr/bin/env bash
# `make demo`: the whole product in one run. `mtlskit pki init` makes a private PKI; a small
# upstream (scripts/demo-upstream.py) echoes what it receives; `mtlskit proxy terminate`
# (client certificate required, CN alice allowed) sits in front of it and `mtlskit proxy
# originate` (plain in, mTLS out as alice) in front of that. Requests go through the pair and
# straight to the terminate listener with no certificate and with bob's, showing what was
# accepted, what was refused and why, and the identity the upstream saw. Then `mtlskit web`
# serves the inspector and the demo waits for Ctrl-C, which stops everything and removes the
# temporary folder. DEMO_ONCE=1: the same without waiting (CI). MTLSKIT_BIN: the binary to
# demonstrate (default target/release/mtlskit). Exit status 1 if any request went unexpectedly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MTLSKIT_BIN:-$root/target/release/mtlskit}"
once="${DEMO_ONCE:-}"
if [ ! -x "$bin" ]; then
  echo "demo: $bin is missing: run \`make demo\` (it builds it)" >&2
  exit 2
fi
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is needed (scripts/install-deps.sh)" >&2; exit 2; }
done

# The demo's own .p12 password file is used, whatever the environment says.
unset MTLSKIT_P12_PASSWORD MTLSKIT_PASSWORD
dir="$(mktemp -d "${TMPDIR:-/tmp}/mtlskit-demo.XXXXXX")"
pids=()
sleeper=""
unexpected=0

main() {
  echo "== demo folder: $dir (removed when the demo stops)"
  make_pki
  read -r upstream_port terminate_port originate_port web_port metrics_port < <(free_ports 5)
  start_services
  send_requests
  start_web
  try_next
  if [ -n "$once" ]; then
    echo "== DEMO_ONCE: stopping"
  else
    echo "== everything is running: press Ctrl-C to stop it"
    # `wait` returns when the INT trap runs; the loop also ends if a service dies.
    while all_alive; do
      sleep 1 &
      sleeper=$!
      wait "$sleeper" || true
    done
    echo "== a service stopped on its own; the end of each log:" >&2
    tail -n 5 "$dir"/*.log >&2
    exit 1
  fi
  if [ "$unexpected" -ne 0 ]; then
    echo "== $unexpected request(s) did not go as expected" >&2
    exit 1
  fi
}

make_pki() {
  echo
  echo "== 1. a private PKI: mtlskit pki init (root, intermediate, server, clients alice and bob)"
  # No terminal: the .p12 password is random, in pki/p12-password.txt (mode 0600).
  "$bin" pki init "$dir/pki" --server-san localhost --server-san 127.0.0.1 \
    --client alice --client bob </dev/null | sed -e '/^Try it:/,$d' -e '/SHA-256/d' -e '/^ *$/d' -e 's/^/   /'
  cd "$dir/pki"
  cat alice.crt intermediate.crt >alice-chain.crt
  cat bob.crt intermediate.crt >bob-chain.crt
}

start_services() {
  echo
  echo "== 2. the upstream: plain HTTP on 127.0.0.1:$upstream_port, answering with the headers it got"
  start upstream "$upstream_port" python3 "$root/scripts/demo-upstream.py" "$upstream_port"
  echo
  echo "== 3. mtlskit proxy terminate on 127.0.0.1:$terminate_port: TLS in, a client certificate"
  echo "      from ca.crt required, CN alice allowed, HTTP out to the upstream"
  start terminate "$terminate_port" "$bin" proxy terminate \
    --listen "127.0.0.1:$terminate_port" --target "127.0.0.1:$upstream_port" \
    --cert server-fullchain.crt --key server.key --client-ca ca.crt --allow-cn alice \
    --metrics "127.0.0.1:$metrics_port" --drain-timeout 1s --name demo-terminate
  echo
  echo "== 4. mtlskit proxy originate on 127.0.0.1:$originate_port: plain HTTP in, mTLS out as"
  echo "      alice (alice.p12) to the terminate listener, whose certificate it verifies"
  start originate "$originate_port" "$bin" proxy originate \
    --listen "127.0.0.1:$originate_port" --target "127.0.0.1:$terminate_port" \
    --server-name localhost --p12 alice.p12 --password-file p12-password.txt --ca ca.crt \
    --drain-timeout 1s --name demo-originate
}

send_requests() {
  local direct="https://localhost:$terminate_port/hello"
  local resolve="localhost:$terminate_port:127.0.0.1"
  echo
  echo "== 5. requests"
  echo "   a) plain HTTP to originate, which adds alice's certificate:"
  echo "      curl http://127.0.0.1:$originate_port/hello"
  request accepted "http://127.0.0.1:$originate_port/hello"
  echo "   b) a client that forges the identity header gets it replaced by the verified one:"
  echo "      curl -H 'X-Forwarded-Client-Cert: Subject=\"CN=admin\"' http://127.0.0.1:$originate_port/forged"
  request accepted -H 'X-Forwarded-Client-Cert: Subject="CN=admin"' "http://127.0.0.1:$originate_port/forged"
  echo "   c) straight to terminate, with no client certificate:"
  echo "      curl --cacert ca.crt $direct"
  request refused --cacert ca.crt --resolve "$resolve" "$direct"
  echo "   d) straight to terminate, with bob's certificate (valid, but CN bob is not allowed):"
  echo "      curl --cacert ca.crt --cert bob-chain.crt --key bob.key $direct"
  request refused --cacert ca.crt --cert bob-chain.crt --key bob.key --resolve "$resolve" "$direct"
  echo "   e) straight to terminate, with alice's certificate:"
  echo "      curl --cacert ca.crt --cert alice-chain.crt --key alice.key $direct"
  request accepted --cacert ca.crt --cert alice-chain.crt --key alice.key --resolve "$resolve" "$direct"
  echo
  echo "   the terminate listener's access log (refusals name the verifier's or the allow-list's reason):"
  grep ' access: ' "$dir/terminate.log" | sed 's/^/   | /' || true
  echo "   its counters (curl http://127.0.0.1:$metrics_port/metrics):"
  curl -sS --max-time 5 "http://127.0.0.1:$metrics_port/metrics" |
    grep -E '^mtlskit_(handshakes|handshake_failures|refusals|requests)_total\{' | sed 's/^/   | /' || true
}

# request accepted|refused CURL-ARGUMENTS...: sends one request and says what happened.
request() {
  local expected="$1" status outcome
  shift
  status="$(curl -sS --max-time 10 -o "$dir/body" -w '%{http_code}' "$@" 2>"$dir/curl-error")" || true
  if [ "$status" = 200 ]; then
    outcome=accepted
    echo "      -> ACCEPTED (HTTP 200). The upstream's answer:"
    sed 's/^/         /' "$dir/body"
  elif [ "$status" = 000 ]; then
    outcome=refused
    echo "      -> REFUSED in the TLS handshake: $(tr -d '\n' <"$dir/curl-error")"
  else
    outcome=refused
    echo "      -> REFUSED (HTTP $status): $(tr -d '\n' <"$dir/body")"
  fi
  rm -f "$dir/body" "$dir/curl-error"
  if [ "$outcome" != "$expected" ]; then
    echo "      !! UNEXPECTED: this request should have been $expected"
    unexpected=$((unexpected + 1))
  fi
}

start_web() {
  echo
  echo "== 6. the browser inspector: mtlskit web"
  start web "$web_port" "$bin" web --listen "127.0.0.1:$web_port"
  local status
  status="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$web_port/")" || true
  if [ "$status" != 200 ]; then
    echo "   !! UNEXPECTED: the page answered HTTP $status"
    unexpected=$((unexpected + 1))
  fi
  echo "   open http://127.0.0.1:$web_port/ and drop $dir/pki/server-fullchain.crt or alice.p12"
  echo "   on it (the password is in p12-password.txt): everything is decoded in the tab."
}

try_next() {
  echo
  echo "== what to try next (in another terminal, while the demo runs)"
  echo "   cd $dir/pki"
  echo "   $bin inspect alice.crt"
  echo "   $bin verify server-fullchain.crt --ca ca.crt --host localhost"
  echo "   $bin verify bob.crt --ca ca.crt --untrusted intermediate.crt --purpose client"
  echo "   $bin probe https://localhost:$terminate_port/ --resolve localhost:$terminate_port:127.0.0.1 \\"
  echo "       --ca ca.crt --cert alice-chain.crt --key alice.key"
  echo "   curl http://127.0.0.1:$originate_port/anything"
  echo "   curl -s http://127.0.0.1:$metrics_port/metrics | grep mtlskit_"
  echo "   $bin proxy --help    # and README.md, native-proxy/src/proxy/README.md"
}

# start NAME PORT COMMAND...: starts a service in the background, logging to $dir/NAME.log,
# and waits (10 s at most) until it is ready: a proxy says so in its log once every socket is
# bound (a test connection would count as a failed handshake); the others accept a connection.
start() {
  local name="$1" port="$2"
  shift 2
  "$@" >"$dir/$name.log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: $name exited:" >&2
      cat "$dir/$name.log" >&2
      exit 1
    fi
    if ready "$name" "$port"; then
      echo "   started (pid $pid, log $dir/$name.log)"
      return
    fi
    sleep 0.1
  done
  echo "demo: $name did not get ready on 127.0.0.1:$port within 10 s:" >&2
  cat "$dir/$name.log" >&2
  exit 1
}

ready() {
  case "$1" in
    terminate | originate) grep -q ' ready listeners=' "$dir/$1.log" ;;
    *) (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null ;;
  esac
}

# free_ports N: N loopback ports that were free a moment ago.
free_ports() {
  python3 -c '
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
' "$1"
}

all_alive() {
  local pid
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || return 1
  done
}

# Stops every service (SIGTERM, then SIGKILL after 5 s) and removes the demo folder.
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM HUP
  cd /
  [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    all_stopped && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
  echo "== stopped: ${#pids[@]} process(es) ended, $dir removed"
  exit "$status"
}

all_stopped() {
  local pid
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && return 1
  done
  return 0
}

trap cleanup EXIT
trap 'echo; exit 0' INT TERM HUP
main

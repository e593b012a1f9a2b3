#!/usr/bin/env bash
# Whole-process timing: `mtlskit pki init` (root, intermediate, server, two clients with .p12,
# P-256) against the equivalent openssl command sequence (the field notes' commands, with key
# generation folded into `req -newkey` to be fair to openssl). Prints the mean of N runs each.
#
# usage: core/benches/pki_init_vs_openssl.sh [path/to/mtlskit] [runs]
set -euo pipefail
MTLSKIT=${1:-target/release/mtlskit}
RUNS=${2:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/ext.cnf" <<'CNF'
[intermediate]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,digitalSignature,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[server]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:test.com,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[client]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
CNF

openssl_pki() {
  local d=$1 ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  mkdir -p "$d"
  openssl req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -days 3650 \
    -subj "/O=mtlskit/CN=mtlskit Root CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -new "${ec[@]}" -keyout "$d/intermediate.key" -out "$d/intermediate.csr" \
    -subj "/O=mtlskit/CN=mtlskit Intermediate CA" 2>/dev/null
  openssl x509 -req -in "$d/intermediate.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 1825 -extfile "$WORK/ext.cnf" -extensions intermediate -out "$d/intermediate.crt" 2>/dev/null
  openssl req -new "${ec[@]}" -keyout "$d/server.key" -out "$d/server.csr" -subj "/O=mtlskit/CN=test.com" 2>/dev/null
  openssl x509 -req -in "$d/server.csr" -CA "$d/intermediate.crt" -CAkey "$d/intermediate.key" -CAcreateserial \
    -days 398 -extfile "$WORK/ext.cnf" -extensions server -out "$d/server.crt" 2>/dev/null
  cat "$d/server.crt" "$d/intermediate.crt" > "$d/server-fullchain.crt"
  for client in alice bob; do
    openssl req -new "${ec[@]}" -keyout "$d/$client.key" -out "$d/$client.csr" -subj "/O=mtlskit/CN=$client" 2>/dev/null
    openssl x509 -req -in "$d/$client.csr" -CA "$d/intermediate.crt" -CAkey "$d/intermediate.key" -CAcreateserial \
      -days 398 -extfile "$WORK/ext.cnf" -extensions client -out "$d/$client.crt" 2>/dev/null
    openssl pkcs12 -export -inkey "$d/$client.key" -in "$d/$client.crt" -certfile "$d/intermediate.crt" \
      -name "$client" -passout pass:changeit -out "$d/$client.p12"
  done
}

mtlskit_pki() {
  "$MTLSKIT" pki init "$1" --server-san test.com --server-san 127.0.0.1 --client alice --client bob \
    --key-type p256 --p12-password-file <(echo changeit) > /dev/null
}

measure() {
  local name=$1 start end
  start=$(date +%s%N)
  for run in $(seq "$RUNS"); do "$name" "$WORK/$name-$run"; done
  end=$(date +%s%N)
  echo $(( (end - start) / RUNS / 1000 ))
}

# sanity: both outputs verify
openssl_pki "$WORK/check-openssl"; mtlskit_pki "$WORK/check-mtlskit"
for d in "$WORK/check-openssl" "$WORK/check-mtlskit"; do
  openssl verify -CAfile "$d/ca.crt" -untrusted "$d/intermediate.crt" "$d/server.crt" "$d/alice.crt" "$d/bob.crt" > /dev/null
done

openssl_us=$(measure openssl_pki)
mtlskit_us=$(measure mtlskit_pki)
echo "runs: $RUNS"
echo "openssl sequence (11 processes): $((openssl_us / 1000)).$(( (openssl_us % 1000) / 100 )) ms per PKI"
echo "mtlskit pki init (1 process):    $((mtlskit_us / 1000)).$(( (mtlskit_us % 1000) / 100 )) ms per PKI"
echo "speed-up: $(( openssl_us * 10 / mtlskit_us / 10 )).$(( openssl_us * 10 / mtlskit_us % 10 ))x"

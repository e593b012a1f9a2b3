#!/usr/bin/env bash
# Makes core/tests/data/keys/: openssl-made keys of each kind in each encoding, the inputs of
# the key readers' and writers' differential tests (crypto::keys, crypto::identify). Run once;
# the files are committed (the tests need no openssl). Usage: scripts/make-test-keys.sh
set -euo pipefail
out="$(dirname "$0")/../core/tests/data/keys"
mkdir -p "$out"
cd "$out"
rm -f ./*.der ./*.pem
gen() { # name, genpkey arguments...
    local name=$1
    shift
    # (genpkey's DER output is the traditional form for RSA, EC and DSA: PKCS#8 by pkcs8 -topk8)
    openssl genpkey "$@" -out "$name.pem" 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "$name.pem" -outform DER -out "$name.p8.der"
    openssl pkey -in "$name.pem" -pubout -outform DER -out "$name.spki.der"
    rm "$name.pem"
}
gen rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
gen rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
gen rsa3072-e3 -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -pkeyopt rsa_keygen_pubexp:3
gen rsapss -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048
gen rsapss-sha256 -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
    -pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
    -pkeyopt rsa_pss_keygen_saltlen:32
gen p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen p384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen p521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
gen secp256k1 -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1
gen ed25519 -algorithm ED25519
gen ed448 -algorithm ED448
gen x25519 -algorithm X25519
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.params 2>/dev/null
gen dsa -paramfile dsa.params
rm dsa.params
for rsa in rsa1024 rsa2048 rsa3072-e3; do
    openssl pkey -inform DER -in $rsa.p8.der -outform DER -out $rsa.pkcs1.der
    openssl rsa -inform DER -in $rsa.p8.der -RSAPublicKey_out -outform DER -out $rsa.rsapub.der 2>/dev/null
done
for ec in p256 p384 p521 secp256k1; do
    openssl pkey -inform DER -in $ec.p8.der -outform DER -out $ec.sec1.der
    openssl ec -inform DER -in $ec.p8.der -no_public -outform DER -out $ec.sec1-nopub.der 2>/dev/null
    openssl ec -inform DER -in $ec.p8.der -param_enc explicit -outform DER -out $ec.sec1-explicit.der 2>/dev/null
    openssl ec -inform DER -in $ec.p8.der -param_enc explicit -pubout -outform DER -out $ec.spki-explicit.der 2>/dev/null
    openssl ec -inform DER -in $ec.p8.der -conv_form compressed -pubout -outform DER -out $ec.spki-compressed.der 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -inform DER -in $ec.sec1-nopub.der -outform DER -out $ec.p8-nopub.der
done
ls

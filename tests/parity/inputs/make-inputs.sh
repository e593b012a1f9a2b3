#!/usr/bin/env bash
# Made once with openssl (the files are checked in; the parity generator reads them and never
# runs this): the fixed keys of the issue cases and one file of each kind openssl writes.
# Re-running it changes every vector that uses these files: regenerate with
# `make parity-vectors` afterwards.
set -euo pipefail
cd "$(dirname "$0")"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key
openssl genpkey -algorithm ED25519 -out ed25519.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key
openssl ecparam -name prime256v1 -genkey -out ec-params-sec1.key
openssl rsa -in rsa2048.key -traditional -out rsa2048-pkcs1.key
openssl pkcs8 -topk8 -in p256.key -v2 aes-256-cbc -passout pass:parity -out p256-encrypted.key
openssl pkey -in p256.key -pubout -out p256.pub
openssl rsa -in rsa2048.key -RSAPublicKey_out -out rsa2048-pkcs1.pub
openssl req -new -key p256.key -subj "/CN=csr.parity.example" -addext "subjectAltName=DNS:csr.parity.example" -out p256.csr
openssl req -x509 -key rsa2048.key -subj "/CN=OpenSSL Parity Root" -days 36500 -set_serial 7 -out openssl-root.crt
openssl crl2pkcs7 -nocrl -certfile openssl-root.crt -outform DER -out openssl-root.p7b
openssl pkcs12 -export -inkey rsa2048.key -in openssl-root.crt -name parity -passout pass:parity -out openssl-root.p12
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.key

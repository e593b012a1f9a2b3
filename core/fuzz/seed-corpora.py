#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into corpus/TARGET/seed-*.

The seeds are files our tests make with the real openssl and keytool (certificates, CSRs,
CRLs, keys in every encoding, PKCS#12 and Java keystores under the password `fuzzing`), the
certificates of x509-limbo (../shared/conformance/limbo/limbo-dev.json) written as chain
inputs, JSON requests for the API and configurations for the proxy. Run once to (re)seed:

    python3 core/fuzz/seed-corpora.py [--limbo PATH]

The corpora are checked in; campaigns (`make fuzz`) add what they find, and `cargo fuzz cmin`
keeps them small. Needs openssl and keytool.
"""

import argparse
import base64
import datetime
import json
import os
import pathlib
import struct
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PASSWORD = "fuzzing"
# Limbo cases written per chain target, so that the corpora stay small.
LIMBO_CASES = 40


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_limbo = HERE.parents[2] / "shared/conformance/limbo/limbo-dev.json"
    if not default_limbo.exists():
        default_limbo = HERE.parents[2].parent / "shared/conformance/limbo/limbo-dev.json"
    parser.add_argument("--limbo", type=pathlib.Path, default=default_limbo)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        files = make_files(pathlib.Path(directory))
        formats(files)
        chains(files, arguments.limbo)
        api(files)
        proxy()


def run(directory, script):
    result = subprocess.run(["bash", "-euxc", script], cwd=directory, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])


def make_files(directory):
    """A small PKI and every container format, made with openssl and keytool."""
    run(directory, f"""
        openssl ecparam -name prime256v1 -genkey -noout -out ca-ec.key
        openssl req -new -x509 -key ca-ec.key -subj "/CN=Fuzz Root/O=mtlskit" -days 3650 \
            -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
        openssl ecparam -name secp384r1 -genkey -noout -out int.key
        openssl req -new -key int.key -subj "/CN=Fuzz Intermediate" -out int.csr
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\nnameConstraints=permitted;DNS:.example.com,permitted;IP:10.0.0.0/255.0.0.0\\ncertificatePolicies=2.23.140.1.2.1\\nsubjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > int.ext
        openssl x509 -req -in int.csr -CA root.pem -CAkey ca-ec.key -days 3000 -extfile int.ext -out int.pem
        openssl genpkey -algorithm ed25519 -out leaf-ed.key
        openssl req -new -key leaf-ed.key -subj "/CN=www.example.com" -out leaf.csr
        printf 'basicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=serverAuth,clientAuth\\nsubjectAltName=DNS:www.example.com,DNS:*.api.example.com,IP:10.1.2.3,email:ops@example.com,URI:spiffe://example.com/web\\ncrlDistributionPoints=URI:http://crl.example.com/int.crl\\nauthorityInfoAccess=OCSP;URI:http://ocsp.example.com\\n' > leaf.ext
        openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -days 2000 -extfile leaf.ext -out leaf.pem
        openssl genrsa -out rsa.key 2048
        openssl req -new -x509 -key rsa.key -subj "/CN=RSA Root" -days 3650 -sha384 -out rsa-root.pem
        openssl req -new -key rsa.key -subj "/CN=client alice/OU=payments/emailAddress=alice@example.com" \
            -addext "subjectAltName=email:alice@example.com" -out client.csr
        printf 'extendedKeyUsage=clientAuth\\n' > client.ext
        openssl x509 -req -in client.csr -CA rsa-root.pem -CAkey rsa.key -days 900 -extfile client.ext -out client.pem
        openssl x509 -req -in client.csr -signkey rsa.key -days 30 -out v1.pem
        openssl req -new -x509 -key rsa.key -subj "/CN=PSS" -days 30 -sigopt rsa_padding_mode:pss \
            -sigopt rsa_pss_saltlen:32 -out pss.pem
        openssl req -new -x509 -key rsa.key -subj "/CN=SHA1" -days 30 -sha1 -out sha1.pem
        for name in root int leaf rsa-root client v1 pss sha1; do openssl x509 -in $name.pem -outform DER -out $name.der; done
        for name in int leaf client; do openssl req -in $name.csr -outform DER -out $name.csr.der; done
        mkdir -p ca/newcerts && touch ca/index.txt && echo 1000 > ca/crlnumber
        openssl x509 -in leaf.pem -noout -serial | sed 's/serial=//' | awk '{{print "R\\t300101000000Z\\t240101000000Z,keyCompromise\\t"$1"\\tunknown\\t/CN=www.example.com"}}' > ca/index.txt
        printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=ca/index.txt\\ncrlnumber=ca/crlnumber\\ndefault_md=sha384\\ndefault_crl_days=30\\ncrl_extensions=e\\n[e]\\nauthorityKeyIdentifier=keyid\\n' > ca.cnf
        openssl ca -config ca.cnf -gencrl -keyfile int.key -cert int.pem -out int.crl
        : > ca/index.txt
        openssl ca -config ca.cnf -gencrl -keyfile ca-ec.key -cert root.pem -out root.crl
        for name in int root; do openssl crl -in $name.crl -outform DER -out $name.crl.der; done
        openssl pkcs8 -topk8 -nocrypt -in ca-ec.key -outform DER -out ec.p8.der
        openssl pkcs8 -topk8 -nocrypt -in ca-ec.key -out ec.p8.pem
        openssl ec -in ca-ec.key -outform DER -out ec.sec1.der
        openssl rsa -in rsa.key -traditional -outform DER -out rsa.pkcs1.der
        openssl pkcs8 -topk8 -in int.key -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1000 -passout pass:{PASSWORD} -outform DER -out enc-pbkdf2.der
        openssl pkcs8 -topk8 -in leaf-ed.key -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -passout pass:{PASSWORD} -out enc-scrypt.pem
        openssl pkcs8 -topk8 -in ca-ec.key -v1 PBE-SHA1-3DES -iter 1000 -passout pass:{PASSWORD} -outform DER -out enc-pkcs12pbe.der
        openssl ec -in ca-ec.key -aes128 -passout pass:{PASSWORD} -out legacy-enc.pem
        openssl pkey -in rsa.key -pubout -outform DER -out rsa.spki.der
        openssl pkey -in leaf-ed.key -pubout -out ed.spki.pem
        openssl pkcs12 -export -in leaf.pem -inkey leaf-ed.key -certfile int.pem -passout pass:{PASSWORD} -iter 1000 -maciter -out chain.p12
        openssl pkcs12 -export -in int.pem -inkey int.key -passout pass:{PASSWORD} -iter 1 -nomaciter -name fuzz -out fast.p12
        openssl pkcs12 -export -legacy -in client.pem -inkey rsa.key -passout pass:{PASSWORD} -iter 1 -nomaciter -out legacy.p12
        openssl pkcs12 -export -nokeys -in root.pem -passout pass:{PASSWORD} -iter 1 -nomaciter -out certs-only.p12
        openssl pkcs12 -export -in int.pem -inkey int.key -nomac -passout pass:{PASSWORD} -iter 1 -out nomac.p12
        openssl crl2pkcs7 -nocrl -certfile leaf.pem -certfile int.pem -outform DER -out chain.p7b
        keytool -genkeypair -keystore store.jks -storetype JKS -storepass {PASSWORD} -keypass {PASSWORD} \
            -alias ec -keyalg EC -groupname secp256r1 -dname CN=jks -validity 3650 2>/dev/null
        keytool -importcert -noprompt -keystore store.jks -storetype JKS -storepass {PASSWORD} -alias root -file root.pem
        keytool -importcert -noprompt -keystore trust.jks -storetype JKS -storepass {PASSWORD} -alias int -file int.pem
        keytool -importcert -noprompt -keystore trust.jceks -storetype JCEKS -storepass {PASSWORD} -alias root -file root.pem
        keytool -genseckey -keystore trust.jceks -storetype JCEKS -storepass {PASSWORD} -keypass {PASSWORD} \
            -alias aes -keyalg AES -keysize 128 -J-Djdk.jceks.iterationCount=1000
        keytool -genkeypair -keystore trust.jceks -storetype JCEKS -storepass {PASSWORD} -keypass {PASSWORD} \
            -alias rsa -keyalg RSA -keysize 2048 -dname CN=jceks -validity 3650 -J-Djdk.jceks.iterationCount=1000
    """)
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / f"seed-{name}").write_bytes(data)


def formats(files):
    pem_bundle = b"junk before\r\n" + files["leaf.pem"] + b"between\n" + files["int.pem"] \
        + files["int.crl"] + b"\ntrailing text"
    write("decode", "bundle.pem", pem_bundle)
    write("decode", "bom.pem", b"\xef\xbb\xbf" + files["root.pem"].replace(b"\n", b"\r\n"))
    write("decode", "cert.der", files["leaf.der"])
    write("decode", "bare-base64", base64.b64encode(files["root.der"]))
    write("decode", "legacy-encrypted.pem", files["legacy-enc.pem"])
    write("decode", "csr.pem", files["client.csr"])
    write("decode", "jks", files["store.jks"][:64])
    for name in ["root", "int", "leaf", "rsa-root", "client", "v1", "pss", "sha1"]:
        write("certificate", f"{name}.der", files[f"{name}.der"])
    for name in ["int", "leaf", "client"]:
        write("csr", f"{name}.der", files[f"{name}.csr.der"])
    for name in ["int", "root"]:
        write("crl", f"{name}.der", files[f"{name}.crl.der"])
    for name in ["ec.p8.der", "ec.p8.pem", "ec.sec1.der", "rsa.pkcs1.der", "leaf-ed.key",
                 "enc-pbkdf2.der", "enc-scrypt.pem", "enc-pkcs12pbe.der", "legacy-enc.pem",
                 "rsa.spki.der", "ed.spki.pem"]:
        write("keys", name, files[name])
    for name in ["chain.p12", "fast.p12", "legacy.p12", "certs-only.p12", "nomac.p12"]:
        write("pkcs12", name, files[name])
    for name in ["store.jks", "trust.jks", "trust.jceks"]:
        write("keystore", name, files[name])
    for name in ["fast.p12", "store.jks", "chain.p7b", "enc-pbkdf2.der", "client.csr",
                 "root.crl", "ed.spki.pem"]:
        write("inspect", name, files[name])
    write("inspect", "bundle.pem", pem_bundle)


def der_of_pem(text):
    lines = [line for line in text.strip().splitlines() if not line.startswith("-----")]
    return base64.b64decode("".join(lines))


def chain_input(flags, time, records):
    """The format of core/fuzz/targets/src/chain.rs."""
    out = bytearray([flags]) + struct.pack(">I", time)
    for role, data in records:
        out += bytes([role]) + struct.pack(">H", len(data)) + data
    return bytes(out)


NOW = 1_800_000_000


def chains(files, limbo_path):
    own = {
        "ec-three": (0, [(0, files["leaf.der"]), (1, files["int.der"]), (2, files["root.der"]),
                         (4, b"www.example.com")]),
        "ec-ip": (0, [(0, files["leaf.der"]), (1, files["int.der"]), (2, files["root.der"]),
                      (4, b"10.1.2.3")]),
        "rsa-client": (1, [(0, files["client.der"]), (2, files["rsa-root.der"]),
                           (4, b"alice@example.com")]),
        "crl": (0, [(0, files["leaf.der"]), (1, files["int.der"]), (2, files["root.der"]),
                    (3, files["int.crl.der"]), (3, files["root.crl.der"])]),
        "sha1": (0x10, [(0, files["sha1.der"]), (2, files["sha1.der"])]),
        "v1": (0x20, [(0, files["v1.der"]), (2, files["rsa-root.der"])]),
        "webpki-profile": (0x08, [(0, files["leaf.der"]), (1, files["int.der"]),
                                  (2, files["root.der"])]),
    }
    for name, (flags, records) in own.items():
        for target in ["verify", "trust_store", "differential"]:
            write(target, name, chain_input(flags, NOW, records))
    if not limbo_path.exists():
        print(f"no limbo file at {limbo_path}: limbo seeds skipped")
        return
    cases = json.loads(limbo_path.read_text())["testcases"]
    step = max(1, len(cases) // LIMBO_CASES)
    for case in cases[::step][:LIMBO_CASES]:
        records = [(0, der_of_pem(case["peer_certificate"]))]
        records += [(1, der_of_pem(pem)) for pem in case["untrusted_intermediates"]]
        records += [(2, der_of_pem(pem)) for pem in case["trusted_certs"]]
        records += [(3, der_of_pem(pem)) for pem in case.get("crls", [])]
        peer = case.get("expected_peer_name")
        if peer and peer.get("kind") in ("DNS", "IP", "RFC822"):
            records.append((4, peer["value"].encode()))
        time = NOW
        if case.get("validation_time"):
            time = int(datetime.datetime.fromisoformat(case["validation_time"]).timestamp())
        flags = 1 if case["validation_kind"] == "CLIENT" else 0
        name = "limbo-" + case["id"].replace("::", "-")
        for target in ["verify", "trust_store", "differential"]:
            write(target, name, chain_input(flags, time, records))
    for case in [case for case in cases if case.get("crls")][:2]:
        write("crl", "limbo-" + case["id"].replace("::", "-"), der_of_pem(case["crls"][0]))


def api(files):
    text = lambda name: files[name].decode()
    requests = {
        "inspect": (0, {"data": text("leaf.pem") + text("int.pem"), "source": "chain.pem"}),
        "inspect-p12": (0, {"data": list(files["fast.p12"]), "password": PASSWORD}),
        "verify": (1, {"leaf": text("leaf.pem"), "intermediates": [text("int.pem")],
                       "anchors": [{"name": "root.pem", "data": text("root.pem")}],
                       "host": "www.example.com", "purpose": "server", "profile": "rfc5280"}),
        "verify-set": (2, {"items": [{"name": "leaf.pem", "data": text("leaf.pem")},
                                     {"name": "int.pem", "data": text("int.pem")},
                                     {"name": "root.pem", "data": text("root.pem"),
                                      "trusted": True}],
                           "ip": "10.1.2.3"}),
        "from-pkcs12": (3, {"data": {"name": "fast.p12", "data": list(files["fast.p12"])},
                            "password": PASSWORD}),
        "generate-key": (4, {"key_type": "ed25519", "password": "secret"}),
        "issue": (5, {"profile": "server", "subject": {"common_name": "api.example.com"},
                      "subject_alt_names": ["api.example.com", "10.0.0.1"],
                      "validity": {"days": 30}, "key_type": "p256"}),
        "csr-new": (6, {"subject": {"common_name": "svc"}, "subject_alt_names": ["svc.local"],
                        "key_type": "p384"}),
        "csr-sign": (7, {"csr": text("leaf.csr"),
                         "ca": {"certificate": text("root.pem"), "key": text("ca-ec.key")},
                         "profile": "client", "validity": {"days": 10}}),
        "convert": (8, {"data": text("leaf.pem"), "to": "der"}),
        "convert-jks": (8, {"data": text("root.pem"), "to": "jks", "password": "changeit"}),
    }
    for name, (selector, request) in requests.items():
        write("api", name, bytes([selector]) + json.dumps(request).encode())


def proxy():
    configs = {
        "terminate.toml": """log_format = "json"
metrics = "127.0.0.1:9090"
drain_timeout = "10s"

[[listener]]
name = "web"
direction = "terminate"
listen = "127.0.0.1:8443"
target = "127.0.0.1:8080"
mode = "http"

[[listener.certificate]]
cert = "pki/server-fullchain.crt"
key = "pki/server.key"

[listener.client_auth]
mode = "required"
ca = ["pki/ca.crt"]
crl = ["pki/ca.crl"]
allow_cn = ["alice", "svc-*"]
allow_uri = ["spiffe://example.com/*"]

[listener.tls]
min_version = "1.2"
cipher_suites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"
server_names = ["test.com"]

[listener.http]
identity_headers = ["xfcc", "client-cert"]
set_headers = ["X-Env: prod"]

[listener.limits]
max_connections = 1000
handshake_timeout = "5s"
idle_timeout = "0s"
""",
        "originate-tcp.toml": """[[listener]]
direction = "originate"
listen = "127.0.0.1:15432"
target = "db.internal:5432"
mode = "tcp"

[[listener.certificate]]
p12 = "/etc/mtlskit/client.p12"
password_file = "/run/secrets/p12"

[listener.upstream_tls]
ca = ["ca.crt"]
server_name = "db.internal"

[listener.tls]
alpn = ["postgresql"]
max_version = "1.3"
""",
        "proxy-protocol.toml": """watch_interval = "0s"
[[listener]]
direction = "terminate"
listen = "systemd:web"
target = "[::1]:9000"
mode = "tcp"
tcp = { proxy_protocol = true }
certificate = [{ cert = "a.crt", key = "a.key" }, { cert = "b.crt", key = "b.key" }]
client_auth = { mode = "optional", ca = ["ca.crt"], allow_spki = ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="] }
""",
    }
    for name, text in configs.items():
        write("proxy_config", name, text)
    source_v4 = bytes([10, 0, 0, 1] + [0] * 12)
    destination_v4 = bytes([10, 0, 0, 2] + [0] * 12)
    v6 = bytes(range(1, 17))
    seeds = {
        "plain-v4": bytes([0x00]) + source_v4 + struct.pack(">H", 5000) + destination_v4
        + struct.pack(">H", 443),
        "tls-cn-cert": bytes([0x7c]) + source_v4 + struct.pack(">H", 5000) + destination_v4
        + struct.pack(">H", 443) + struct.pack(">HH", 5, 600) + b"alice",
        "mixed-v6": bytes([0x35]) + v6 + struct.pack(">H", 1) + destination_v4
        + struct.pack(">H", 2) + struct.pack(">HH", 64, 0) + b"svc",
    }
    for name, data in seeds.items():
        write("proxy_protocol", name, data)


if __name__ == "__main__":
    main()

# The CRLs of this folder (x509::crl, verify::crl and inspect tests; DER): `openssl ca -gencrl`
# with reasons, invalidity dates, hold instructions, issuingDistributionPoints and other
# CRL extensions. Run as: for spec in "ec -pkeyopt ec_paramgen_curve:P-256|ec" "rsa:2048|rsa" ...;
# do bash -c "$(sed "s/\"\$1\"/${spec%|*}/; s/\$2/${spec#*|}/" generate.sh)"; done
# then `openssl crl -in ca/NAME.crl -outform DER -out KEY-NAME.crl`.
set -e
mkdir -p ca && cd ca
mkdir -p newcerts && : > index.txt && echo 01 > serial && echo 10 > crlnumber
cat > ca.cnf <<'CNF'
[ca]
default_ca = CA_default
[CA_default]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
certificate = ./ca.pem
private_key = ./ca.key
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_days = 30
default_crl_days = 30
policy = policy_any
copy_extensions = none
[policy_any]
commonName = supplied
[crl_plain]
authorityKeyIdentifier = keyid:always
[crl_idp]
authorityKeyIdentifier = keyid:always,issuer
issuingDistributionPoint = critical,@idp
[idp]
fullname = URI:http://crl.example/ca.crl
onlyuser = TRUE
[crl_idp_ca]
issuingDistributionPoint = critical,@idp_ca
[idp_ca]
fullname = URI:http://crl.example/ca.crl
onlyCA = TRUE
onlysomereasons = keyCompromise, CACompromise
[crl_idp_indirect]
issuingDistributionPoint = critical,@idp_ind
[idp_ind]
indirectCRL = TRUE
[crl_more]
authorityKeyIdentifier = keyid:always
issuerAltName = URI:http://ca.example/
authorityInfoAccess = caIssuers;URI:http://ca.example/ca.crt
freshestCRL = URI:http://crl.example/delta.crl
CNF
openssl req -x509 -newkey "$1" -nodes -keyout ca.key -out ca.pem -subj "/C=XX/O=mtlskit test/CN=CRL CA $2" -days 30 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout l$i.key -out l$i.csr -subj "/CN=leaf $i" 2>/dev/null
  openssl ca -batch -config ca.cnf -in l$i.csr -out l$i.pem -notext 2>/dev/null
done
openssl ca -config ca.cnf -gencrl -crlexts crl_plain -out empty.crl 2>/dev/null
openssl ca -config ca.cnf -revoke l1.pem 2>/dev/null
openssl ca -config ca.cnf -revoke l2.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config ca.cnf -revoke l3.pem -crl_reason superseded 2>/dev/null
openssl ca -config ca.cnf -revoke l4.pem -crl_compromise 20251201120000Z 2>/dev/null
openssl ca -config ca.cnf -revoke l5.pem -crl_hold holdInstructionReject 2>/dev/null
openssl ca -config ca.cnf -revoke l6.pem -crl_CA_compromise 20251101000000Z 2>/dev/null
openssl ca -config ca.cnf -revoke l7.pem -crl_reason removeFromCRL 2>/dev/null || true
openssl ca -config ca.cnf -revoke l8.pem -crl_reason cessationOfOperation 2>/dev/null
openssl ca -config ca.cnf -gencrl -crlexts crl_plain -out reasons.crl
openssl ca -config ca.cnf -gencrl -crlexts crl_idp -out idp-user.crl
openssl ca -config ca.cnf -gencrl -crlexts crl_idp_ca -out idp-ca.crl
openssl ca -config ca.cnf -gencrl -crlexts crl_idp_indirect -out idp-indirect.crl
openssl ca -config ca.cnf -gencrl -crlexts crl_more -crlhours 1 -out more.crl
openssl ca -config ca.cnf -gencrl -out v1.crl

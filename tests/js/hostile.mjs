// Hostile encrypted keys and PKCS#12 files, built DER byte by byte: the same cases as
// tests/src/hostile.rs (KDF parameters asking for hours of work or terabytes of memory).

function tlv(tag, contents) {
  const length = contents.length;
  let header;
  if (length < 0x80) {
    header = [tag, length];
  } else {
    const bytes = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), Buffer.from(contents)]);
}

const sequence = (...elements) => tlv(0x30, Buffer.concat(elements));
const octets = (byte, count) => tlv(0x04, Buffer.alloc(count, byte));
const oid = (bytes) => tlv(0x06, Buffer.from(bytes));

function integer(value) {
  const bytes = [];
  for (let rest = BigInt(value); rest > 0n; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

const PBES2 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const PBKDF2 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
const SCRYPT = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b];
const HMAC_SHA256 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const AES256_CBC = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
const SHA256 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const DATA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const SHROUDED_KEY_BAG = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const NULL = Buffer.from([0x05, 0x00]);

function encryptedKey(kdf) {
  const cipher = sequence(oid(AES256_CBC), octets(2, 16));
  return sequence(sequence(oid(PBES2), sequence(kdf, cipher)), octets(3, 32));
}

const pkcs8Scrypt = (n, r, p) =>
  encryptedKey(sequence(oid(SCRYPT), sequence(octets(1, 8), integer(n), integer(r), integer(p))));
const pkcs8Pbkdf2 = (iterations) =>
  encryptedKey(sequence(oid(PBKDF2), sequence(octets(1, 8), integer(iterations), sequence(oid(HMAC_SHA256), NULL))));

const data = (contents) => sequence(oid(DATA), tlv(0xa0, tlv(0x04, contents)));
const pfx = (authenticatedSafe, mac = Buffer.alloc(0)) => sequence(integer(3), data(authenticatedSafe), mac);

function pkcs12MacIterations(iterations) {
  const digest = sequence(sequence(oid(SHA256), NULL), octets(4, 32));
  return pfx(sequence(), sequence(digest, octets(5, 8), integer(iterations)));
}

const pkcs12WithKey = (key) => pfx(sequence(data(sequence(sequence(oid(SHROUDED_KEY_BAG), tlv(0xa0, key))))));

function pem(label, der) {
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return Buffer.from(`-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`);
}

const key = (der) => pem('ENCRYPTED PRIVATE KEY', der);

/** [file name, bytes, the parameter the error must name] */
export const cases = [
  ['scrypt-n.key', key(pkcs8Scrypt(2 ** 30, 8, 1)), 'scrypt N (cost)'],
  ['scrypt-p.key', key(pkcs8Scrypt(2 ** 14, 8, 65535)), 'scrypt p (parallelism)'],
  ['scrypt-r.key', key(pkcs8Scrypt(2 ** 14, 65535, 1)), 'scrypt N (cost)'],
  ['pbkdf2.key', key(pkcs8Pbkdf2(2 ** 32 - 1)), 'PBKDF2 iteration count'],
  ['mac.p12', pkcs12MacIterations(2 ** 31 - 1), 'PKCS#12 KDF iteration count'],
  ['scrypt-n.p12', pkcs12WithKey(pkcs8Scrypt(2 ** 30, 8, 1)), 'scrypt N (cost)'],
  ['scrypt-p.p12', pkcs12WithKey(pkcs8Scrypt(2 ** 14, 8, 65535)), 'scrypt p (parallelism)'],
  ['pbkdf2.p12', pkcs12WithKey(pkcs8Pbkdf2(2 ** 32 - 1)), 'PBKDF2 iteration count'],
];

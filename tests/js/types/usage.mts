// The whole API of the npm package `mtlskit` through its ES module entry, type-checked by
// `tsc --noEmit -p tests/js/types` (make test-js): the declarations must accept every call
// below and give the results these annotations say. Not run: tests/js/package.test.mjs runs
// the same calls.
import * as mtlskit from '../../../node/index.mjs';
import mtlskitDefault, {
  bundle, bundleSync, createCertificate, createCertificateSync, createCsr, createCsrSync, convert,
  convertSync, fromPkcs12, fromPkcs12Sync, generateKey, generateKeySync, inspect, inspectSync,
  pkiInit, pkiInitSync, signCsr, signCsrSync, toDer, toDerSync, toPem, toPemSync, toPkcs12,
  toPkcs12Sync, verify, verifySet, verifySetSync, verifySync, version, runtime,
} from '../../../node/index.mjs';
import type {
  Bundle, BundleOptions, ClientBundle, ConvertResponse, GenerateKeyResponse, IssueResponse,
  MtlskitError, Report, VerifyResponse,
} from '../../../node/index.mjs';

export async function everything(bytes: Uint8Array, buffer: Uint8Array): Promise<string[]> {
  const options: BundleOptions = { hosts: ['localhost', '127.0.0.1'], clients: ['alice'], keyType: 'p256' };
  const pki: Bundle = await bundle(options);
  const { ca, intermediate, server, client, clients } = pki;
  const alice: ClientBundle = client;
  const https: { key: string; cert: string; ca: string } = { key: server.key, cert: server.chain, ca: ca.certificate };
  const sameDefaults: Bundle = bundleSync();
  const rsa = await bundle({ keyType: 'rsa2048', intermediate: false, p12_password: 'pw' }, new Date());

  const key: GenerateKeyResponse = await generateKey({ key_type: 'ed25519' });
  const encrypted = generateKeySync({ key_type: 'p384', password: 'secret' });
  const root: IssueResponse = await createCertificate({ profile: 'root', subject: { common_name: 'Root' } });
  const caInput = { certificate: root.certificate, key: root.key ?? '' };
  const leaf = createCertificateSync({ profile: 'server+client', subject_alt_names: ['app.test'], ca: caInput }, Date.now());
  const csr = await createCsr({ key: key.key, subject_alt_names: ['csr.test'] });
  const fresh = createCsrSync();
  const signed = await signCsr({ csr: csr.csr, ca: caInput, profile: 'client', validity: { days: 30 } });
  const signedSync = signCsrSync({ csr: buffer, ca: caInput }, '2027-01-01T00:00:00Z');

  const report: Report = await inspect(bytes);
  const reportSync: Report = inspectSync({ data: buffer, source: 'server.crt' }, new Date());
  const verdict: VerifyResponse = await verify({ leaf: server.chain, anchors: [ca.certificate], host: 'localhost' });
  const valid: boolean = verifySync({ leaf: { name: 'leaf.crt', data: bytes }, anchors: [] }).valid;
  const set = await verifySet({ items: [{ name: 'a.crt', data: bytes, trusted: true }] });
  const setSync = verifySetSync({ items: [] });

  const p12: Uint8Array = (await toPkcs12({ certificate: leaf.certificate, key: root.key ?? '', password: 'pw' })).p12;
  const p12Sync = toPkcs12Sync({ certificate: bytes, key: buffer, chain: [ca.certificate], password: 'pw', legacy: true });
  const opened = await fromPkcs12({ data: p12, password: 'pw' });
  const openedSync = fromPkcs12Sync({ data: p12Sync.p12, password: 'pw' });
  const der: ConvertResponse = await toDer(leaf.certificate);
  const pem = toPemSync({ data: bytes });
  const pemAsync = await toPem(buffer);
  const derSync = toDerSync({ data: 'PEM', password: 'pw' });
  const converted = await convert({ data: bytes, to: 'p12', key: buffer, password: 'pw' });
  const convertedSync = convertSync({ data: bytes, to: 'pem' });
  const files = (await pkiInit({ server_names: ['files.test'] })).files.map((file) => file.name);
  const filesSync = pkiInitSync({ clients: ['x'], intermediate: false });

  try {
    generateKeySync({ key_type: 'dsa' });
  } catch (error) {
    const coded = error as MtlskitError;
    const code: string = coded.code;
    const input: string | null = coded.input;
    files.push(code, input ?? '', coded.message);
  }
  // the declarations are precise, not `any`: these must not compile
  // @ts-expect-error: not a key type
  await bundle({ keyType: 'dsa' });
  // @ts-expect-error: unknown request field
  generateKeySync({ key_size: 2048 });
  // @ts-expect-error: verify needs the leaf
  verifySync({ anchors: [] });
  // @ts-expect-error: results are typed
  const wrong: number = (await generateKey()).key;
  const which: 'native' | 'wasm' = runtime;
  const same: typeof mtlskit.bundle = mtlskitDefault.bundle;
  return [
    version(), which, String(same === bundle), alice.name, https.key, intermediate?.certificate ?? '',
    String(clients.length), sameDefaults.ca.key, rsa.server.certificate, encrypted.public_key,
    fresh.key ?? '', signed.certificate, signedSync.fingerprint_sha256, String(report.items.length),
    reportSync.items[0]?.kind ?? '', String(verdict.valid), String(valid), String(set.verdicts.length),
    String(setSync.errors.length), String(opened.keys.length), openedSync.pem, der.kind, pem.kind,
    pemAsync.kind, String(derSync.secret), converted.kind, convertedSync.kind, String(filesSync.files.length), String(wrong),
    ...files,
  ];
}

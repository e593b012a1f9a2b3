// The ES module entry of the mtlskit npm package: the same functions as the CommonJS entry.
import { createRequire } from 'node:module';

const mtlskit = createRequire(import.meta.url)('./index.js');

export const {
  inspect, inspectSync, verify, verifySync, verifySet, verifySetSync, generateKey, generateKeySync,
  createCertificate, createCertificateSync, createCsr, createCsrSync, signCsr, signCsrSync,
  pkiInit, pkiInitSync, bundle, bundleSync, toPkcs12, toPkcs12Sync, fromPkcs12, fromPkcs12Sync,
  convert, convertSync, toPem, toPemSync, toDer, toDerSync, version, runtime, DEFAULT_HOSTS,
} = mtlskit;
export default mtlskit;

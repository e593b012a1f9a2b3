// Types of the mtlskit npm package. The request and response types are generated from the
// Rust types (api.d.ts, `make types`); the functions here take the time as a Date, an
// RFC 3339 string or milliseconds (default: now). `name()` returns a Promise computed off the
// main thread, `nameSync()` the result. Errors are `MtlskitError`s (`code` is the stable code).
import type * as api from './api';

export * from './api';

/** When the call happens: a Date, an RFC 3339 string or milliseconds since the epoch. */
export type Time = Date | string | number;
/** Key types every function that creates keys accepts. */
export type KeyType = 'p256' | 'p384' | 'ed25519' | 'rsa2048' | 'rsa3072' | 'rsa4096';
/** What every function throws: an `Error` with the core's `code` and typed fields. */
export type MtlskitError = Error & api.ApiError;

/** `bundle()`'s options: `pkiInit`'s request with `hosts` and `keyType`. */
export type BundleOptions = Omit<api.PkiInitRequest, 'server_names' | 'key_type'> & {
  /** DNS names and IP addresses of the server (default `localhost`, `127.0.0.1`, `::1`). */
  hosts?: string[];
  /** Key type of every key (default `p256`). */
  keyType?: KeyType;
};
/** `bundle()`'s result: the PKI, with the first client also as `client`. */
export type Bundle = api.BundleResponse & { client: api.ClientBundle };
/** A request whose `to` is set by the function. */
export type ConvertToRequest = Omit<api.ConvertRequest, 'to'>;

export function inspect(request: api.InspectRequest | api.Data, at?: Time): Promise<api.Report>;
export function inspectSync(request: api.InspectRequest | api.Data, at?: Time): api.Report;
export function verify(request: api.VerifyRequest, at?: Time): Promise<api.VerifyResponse>;
export function verifySync(request: api.VerifyRequest, at?: Time): api.VerifyResponse;
export function verifySet(request: api.VerifySetRequest, at?: Time): Promise<api.VerifySetResponse>;
export function verifySetSync(request: api.VerifySetRequest, at?: Time): api.VerifySetResponse;
export function generateKey(request?: api.GenerateKeyRequest): Promise<api.GenerateKeyResponse>;
export function generateKeySync(request?: api.GenerateKeyRequest): api.GenerateKeyResponse;
export function createCertificate(request?: api.IssueRequest, at?: Time): Promise<api.IssueResponse>;
export function createCertificateSync(request?: api.IssueRequest, at?: Time): api.IssueResponse;
export function createCsr(request?: api.CsrNewRequest): Promise<api.CsrNewResponse>;
export function createCsrSync(request?: api.CsrNewRequest): api.CsrNewResponse;
export function signCsr(request: api.CsrSignRequest, at?: Time): Promise<api.CsrSignResponse>;
export function signCsrSync(request: api.CsrSignRequest, at?: Time): api.CsrSignResponse;
export function pkiInit(request?: api.PkiInitRequest, at?: Time): Promise<api.PkiInitResponse>;
export function pkiInitSync(request?: api.PkiInitRequest, at?: Time): api.PkiInitResponse;
export function bundle(options?: BundleOptions, at?: Time): Promise<Bundle>;
export function bundleSync(options?: BundleOptions, at?: Time): Bundle;
export function toPkcs12(request: api.ToPkcs12Request): Promise<api.ToPkcs12Response>;
export function toPkcs12Sync(request: api.ToPkcs12Request): api.ToPkcs12Response;
export function fromPkcs12(request: api.FromPkcs12Request): Promise<api.FromPkcs12Response>;
export function fromPkcs12Sync(request: api.FromPkcs12Request): api.FromPkcs12Response;
export function convert(request: api.ConvertRequest): Promise<api.ConvertResponse>;
export function convertSync(request: api.ConvertRequest): api.ConvertResponse;
export function toPem(request: ConvertToRequest | api.Data): Promise<api.ConvertResponse>;
export function toPemSync(request: ConvertToRequest | api.Data): api.ConvertResponse;
export function toDer(request: ConvertToRequest | api.Data): Promise<api.ConvertResponse>;
export function toDerSync(request: ConvertToRequest | api.Data): api.ConvertResponse;
/** The version of the core in the addon or wasm module. */
export function version(): string;
/** Which build runs the API: the native addon, or the wasm fallback. */
export const runtime: 'native' | 'wasm';
/** The server names of `bundle()` when no `hosts` are given. */
export const DEFAULT_HOSTS: readonly string[];

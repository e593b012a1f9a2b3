// Types of the mtlskit npm package. The request and response types are generated from the
// Rust types (api.d.ts); the functions here take the time as a Date, an RFC 3339 string or
// milliseconds (default: now).
import type * as api from './api';

export * from './api';
export type Time = Date | string | number;

export function inspect(request: api.InspectRequest, at?: Time): api.Report;
export function verify(request: api.VerifyRequest, at?: Time): api.VerifyResponse;
export function verifySet(request: api.VerifySetRequest, at?: Time): api.VerifySetResponse;
export function issue(request: api.IssueRequest, at?: Time): api.IssueResponse;
export function csrNew(request: api.CsrNewRequest): api.CsrNewResponse;
export function csrSign(request: api.CsrSignRequest, at?: Time): api.CsrSignResponse;
export function pkiInit(request: api.PkiInitRequest, at?: Time): api.PkiInitResponse;
export function bundle(request: api.PkiInitRequest, at?: Time): api.BundleResponse;
export function toPkcs12(request: api.ToPkcs12Request): api.ToPkcs12Response;
export function fromPkcs12(request: api.FromPkcs12Request): api.FromPkcs12Response;
export function convert(request: api.ConvertRequest, at?: Time): api.ConvertResponse;
export function version(): string;

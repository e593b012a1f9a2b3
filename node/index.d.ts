// Types of the mtlskit npm package. Reports follow the JSON contract documented in the
// repository README (the same fields as `mtlskit inspect --json`).

export interface InspectOptions {
  /** Name copied into each item's `source.file` (default `input`). */
  source?: string;
  /** Password for .p12 files and encrypted keys. */
  password?: string;
  /** Time at which validity is judged (default: now). */
  at?: Date | string | number;
}

export interface Report {
  items: Array<{ kind: 'certificate' | 'csr' | 'crl' | 'private_key' | 'public_key' | 'error'; [field: string]: unknown }>;
}

/** Inspects every item in `input`. Throws an Error with a stable `code` on unreadable input. */
export function inspect(input: Buffer | Uint8Array | string, options?: InspectOptions): Report;
/** The version of the Rust core. */
export function version(): string;

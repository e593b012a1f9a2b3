/* tslint:disable */
/* eslint-disable */

/**
 * Inspects every item in `input` (PEM, DER, base64, .p7b, .p12) and returns the report
 * `{items: [...]}`. `at` is the inspection time in seconds since the Unix epoch.
 */
export function inspect(input: Uint8Array | number[], source: string, password: string | null | undefined, at: number): any;

/**
 * The version of the mtlskit core in this module.
 */
export function version(): string;

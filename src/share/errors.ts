/**
 * Why a link cannot be read or built: a kind the UI can branch on, a message key for the catalogue
 * and the English text. A fragment is untrusted input, so every failure ends up as one of these,
 * never as an exception.
 */

export type ShareErrorKind =
  /** No link in the fragment at all (empty, or not ours). */
  | 'empty'
  /** Not parseable: bad separators, bad escapes, repeated or unknown fields. */
  | 'malformed'
  /** Longer than any link we make; refused before parsing. */
  | 'too-large'
  /** Made by a newer version of the app. */
  | 'too-new'
  /** The check digits do not match: the link was edited or cut short on the way. */
  | 'tampered'
  /** A field is present but its value is out of range or of the wrong form. */
  | 'invalid-field'
  /** The embedded snapshot cannot be decompressed or fails validation. */
  | 'snapshot-invalid';

export interface ShareError {
  kind: ShareErrorKind;
  /** Message key, e.g. "share.error.too-new". */
  key: string;
  params?: Record<string, string | number>;
  /** English text for people reading logs or when no catalogue is at hand. */
  message: string;
}

export type ShareResult<T> = { ok: true; value: T } | { ok: false; error: ShareError };

export function shareError(kind: ShareErrorKind, message: string, params?: Record<string, string | number>): ShareError {
  return params ? { kind, key: `share.error.${kind}`, params, message } : { kind, key: `share.error.${kind}`, message };
}

/** Thrown only by the "must succeed" helpers (urlFromState); carries the same ShareError. */
export class ShareLinkError extends Error {
  readonly error: ShareError;
  constructor(error: ShareError) {
    super(error.message);
    this.name = 'ShareLinkError';
    this.error = error;
  }
}

/**
 * One walk over the TCP options, shared by the column decoder and the detail decoder so that both
 * read the options the same way. The visitor is called once per well-formed option; the return value
 * says whether the walk met something malformed (a length that is impossible or crosses the header's
 * end) or ran out of captured bytes.
 */

export const TcpOpt = {
  Eol: 0,
  Nop: 1,
  Mss: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Sack: 5,
  Timestamps: 8,
} as const;

export const enum OptWalk {
  Ok = 0,
  Malformed = 1,
  /** The options continue beyond the captured bytes (snaplen): not an error of the sender. */
  Truncated = 2,
}

/** (kind, offset of the kind byte, total option length) for each option, NOPs and EOL included. */
export type TcpOptionVisitor = (kind: number, off: number, len: number) => void;

/** Whether an option of a kind we interpret has a length its definition allows (others: any). */
function expectedLength(kind: number, len: number): boolean {
  switch (kind) {
    case TcpOpt.Mss: return len === 4;
    case TcpOpt.WindowScale: return len === 3;
    case TcpOpt.SackPermitted: return len === 2;
    case TcpOpt.Timestamps: return len === 10;
    case TcpOpt.Sack: return len >= 10 && len <= 34 && (len - 2) % 8 === 0;
    default: return true;
  }
}

/**
 * Walk options in b[start, hdrEnd); `capEnd` is where the captured bytes stop (may be < hdrEnd).
 * An option of a known kind with the wrong length is reported as malformed but not visited; the walk
 * goes on past it since its length byte is still usable.
 */
export function walkTcpOptions(b: Uint8Array, start: number, hdrEnd: number, capEnd: number, visit: TcpOptionVisitor): OptWalk {
  const end = Math.min(hdrEnd, capEnd);
  let status = OptWalk.Ok;
  let p = start;
  while (p < end) {
    const kind = b[p];
    if (kind === TcpOpt.Eol) {
      visit(kind, p, 1);
      return status;
    }
    if (kind === TcpOpt.Nop) {
      visit(kind, p, 1);
      p++;
      continue;
    }
    if (p + 1 >= end) return hdrEnd > capEnd ? OptWalk.Truncated : OptWalk.Malformed;
    const len = b[p + 1];
    if (len < 2 || p + len > hdrEnd) return OptWalk.Malformed;
    if (p + len > capEnd) return OptWalk.Truncated;
    if (expectedLength(kind, len)) visit(kind, p, len);
    else status = OptWalk.Malformed;
    p += len;
  }
  if (hdrEnd > capEnd) return OptWalk.Truncated;
  return status;
}

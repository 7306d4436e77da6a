/**
 * Mask a whole link: the stream's endpoints in the state and everything in its snapshot, with one
 * masker so that "client" means the same host in both. The stream stays identifiable in the
 * capture by its index, ports and initial sequence numbers.
 */
import { AddressMasker, maskAddresses } from './mask.js';
import type { ShareState } from './state.js';

/** `handshake`: the capture holds the stream's handshake, so endpoint A can be called the client. */
export function maskState(state: ShareState, handshake?: boolean): ShareState {
  const snap = state.snapshot;
  const a = state.stream?.a?.addr ?? snap?.stream.a.addr;
  const b = state.stream?.b?.addr ?? snap?.stream.b.addr;
  const m = new AddressMasker(a, b, handshake ?? snap?.stream.handshake ?? false);
  const out: ShareState = { ...state };
  if (state.stream) {
    out.stream = { ...state.stream };
    if (state.stream.a) out.stream.a = m.endpoint(state.stream.a);
    if (state.stream.b) out.stream.b = m.endpoint(state.stream.b);
  }
  if (snap) out.snapshot = maskAddresses(snap, m);
  return out;
}

/**
 * One packet's full decode, asked of the worker (re-read from the File by offset) for `frame` in
 * `lang`, again when the capture or the language changes. Null until the answer for this frame came.
 */
import { useEffect, useState } from 'react';
import { asFrame } from '../../src/index';
import { ask, useSession } from '../store/session';
import type { PacketDetailView } from '../worker/protocol';

export interface PacketDetailAnswer {
  frame: number;
  view: PacketDetailView | null;
  error: string | null;
}

export function usePacketDetail(frame: number | null, lang: string): PacketDetailAnswer | null {
  const generation = useSession((s) => s.generation);
  const [detail, setDetail] = useState<PacketDetailAnswer | null>(null);
  useEffect(() => {
    if (frame === null) return;
    let live = true;
    void ask({ type: 'packetDetail', frame: asFrame(frame), lang }).then((o) => {
      if (live) setDetail({ frame, view: o.ok ? o.value.detail : null, error: o.ok ? null : o.error.message });
    });
    return () => { live = false; };
  }, [frame, generation, lang]);
  return frame !== null && detail?.frame === frame ? detail : null;
}

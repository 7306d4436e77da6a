/**
 * One pattern, one finding: the findings that explain a connection's failure take the packets that
 * the plainer findings would tell again. An idle timeout takes the RST that answered the write after
 * the silence and the write's retransmissions; a foreign reset takes the RST; an untranslated reply
 * takes the connection to the service address and the stream of the stray replies, with their
 * resets, failed handshakes and retransmissions.
 */
import { SEVERITY_RANK, type Finding, type ForeignResetFinding, type ResetFinding } from './types';

/** The findings without those whose packets a more telling finding explains. */
export function yieldToOwners(findings: Finding[]): Finding[] {
  const rsts = new Set<string>();
  const chains = new Set<string>();
  const streams = new Set<number>();
  for (const f of findings) {
    if (f.kind === 'idle-timeout') {
      if (f.rstFrame) rsts.add(`${f.stream}:${f.rstFrame}`);
      chains.add(`${f.stream}:${f.direction}`);
    } else if (f.kind === 'foreign-reset') {
      for (const x of f.frames) rsts.add(`${f.stream}:${x}`);
    } else if (f.kind === 'untranslated-reply') {
      streams.add(f.stream);
      for (const y of f.replyStreams) streams.add(y);
    }
  }
  if (!rsts.size && !chains.size && !streams.size) return findings;
  // A foreign reset that takes a reset finding keeps what that one knew of the RST's effect: its
  // severity when higher (a RST that cut a transfer off is a warning whoever sent it) and its story
  // of what was cut off.
  const foreign = new Map<string, ForeignResetFinding>();
  for (const f of findings) if (f.kind === 'foreign-reset') for (const x of f.frames) foreign.set(`${f.stream}:${x}`, f);
  for (const f of findings) {
    if (f.kind !== 'reset') continue;
    const owner = foreign.get(`${f.stream}:${f.frames[0]}`);
    if (owner) absorb(owner, f);
  }
  return findings.filter((f) => {
    if (f.kind !== 'reset' && f.kind !== 'handshake-failure' && f.kind !== 'retransmission-timeout') return true;
    if (streams.has(f.stream)) return false;
    if (f.kind === 'reset') return !rsts.has(`${f.stream}:${f.frames[0]}`);
    if (f.kind === 'retransmission-timeout') return !chains.has(`${f.stream}:${f.direction}`) && !rsts.has(`${f.stream}:${f.frames[f.frames.length - 1]}`);
    return true;
  });
}

function absorb(owner: ForeignResetFinding, r: ResetFinding): void {
  if (SEVERITY_RANK[r.severity] > SEVERITY_RANK[owner.severity]) {
    owner.severity = r.severity;
    if (!owner.remedy.length) owner.remedy = [{ key: 'freset.remedy', params: owner.title.params }];
  }
  const told = new Set(['reset.story.ttl', 'reset.story.causes']);
  const cause = owner.story.findIndex((m) => m.key === 'freset.story.causes');
  owner.story.splice(cause < 0 ? owner.story.length : cause, 0, ...r.story.filter((m) => !told.has(m.key)));
}

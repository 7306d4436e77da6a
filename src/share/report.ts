/**
 * A finding as a Markdown report, to paste into a ticket or a chat: title, capture, stream, the
 * analysis text, the numbers behind it, the evidence frames and the permalink. Everything that
 * came from a capture or a link is escaped, so the report renders as the text it is.
 */
import { AckFlag, SegFlag } from '../view/seriesTypes';
import { formatEndpoint } from './endpoint.js';
import type { CaptureRef } from './state.js';
import type { FindingText, Lang, SeriesSnapshot } from './snapshot.js';

export interface ReportInput {
  lang: Lang;
  capture: CaptureRef;
  /** The evidence: the finding, its text and the chart window's series. */
  snapshot: SeriesSnapshot;
  /** The permalink (whole URL), if one was made. */
  link?: string;
}

/** Flag words as tcpdump/Wireshark users know them (the same in every language). */
const SEG_WORDS: [number, string][] = [
  [SegFlag.Syn, 'SYN'], [SegFlag.Fin, 'FIN'], [SegFlag.Rst, 'RST'], [SegFlag.Df, 'DF'],
  [SegFlag.Oversized, 'oversized'], [SegFlag.Retransmission, 'retransmission'], [SegFlag.FastRetransmission, 'fast retransmission'],
  [SegFlag.SpuriousRetransmission, 'spurious retransmission'], [SegFlag.OutOfOrder, 'out of order'],
  [SegFlag.LostSegment, 'previous segment not captured'], [SegFlag.KeepAlive, 'keep-alive'],
  [SegFlag.ZeroWindowProbe, 'zero-window probe'], [SegFlag.WindowFull, 'window full'],
  [SegFlag.Copy, 'captured twice'], [SegFlag.Offload, 'offload copy'],
];
const ACK_WORDS: [number, string][] = [
  [AckFlag.DuplicateAck, 'duplicate ACK'], [AckFlag.ZeroWindow, 'zero window'], [AckFlag.AckLostSegment, 'ACKed unseen segment'],
  [AckFlag.WindowUpdate, 'window update'],
];

function words(bits: number, table: [number, string][]): string {
  return table.filter(([b]) => bits & b).map(([, w]) => w).join(', ');
}

const LABELS = {
  en: {
    untitled: 'Finding', severity: 'Severity', finding: 'Finding', stream: 'Stream', direction: 'Data sender',
    capture: 'Capture', file: 'File', size: 'Size', bytes: 'bytes', fingerprint: 'SHA-256 (prefix)',
    analysis: 'Analysis', remedy: 'What to do', numbers: 'Numbers', frames: 'Evidence frames', frame: 'Frame', time: 'Time (s)',
    what: 'Packet', seq: 'Seq', len: 'Len', ipLen: 'IP length', flags: 'Analysis flags', ack: 'ACK', win: 'Window',
    link: 'Link', linkNote: 'The link carries no packet data: the recipient opens it with the same capture file, which never leaves their computer.',
    linkNoteSnapshot: 'The link carries a snapshot of this evidence: it opens without the capture file.',
    window: 'Chart window', mtu: 'Path MTU', masked: 'Addresses are masked.', unknown: 'unknown',
    critical: 'critical', error: 'error', warning: 'warning', info: 'info', notInWindow: 'not in the chart window',
  },
  'zh-CN': {
    untitled: '发现', severity: '严重程度', finding: '发现', stream: '流', direction: '数据发送方',
    capture: '抓包文件', file: '文件', size: '大小', bytes: '字节', fingerprint: 'SHA-256（前缀）',
    analysis: '分析', remedy: '处理建议', numbers: '数据', frames: '证据帧', frame: '帧', time: '时间（秒）',
    what: '报文', seq: '序号', len: '长度', ipLen: 'IP 长度', flags: '分析标记', ack: '确认号', win: '窗口',
    link: '链接', linkNote: '链接中不含任何报文数据：接收者需用同一个抓包文件打开，文件不会离开其电脑。',
    linkNoteSnapshot: '链接中带有这些证据的快照：无需抓包文件即可打开。',
    window: '图表时间窗口', mtu: '路径 MTU', masked: '地址已脱敏。', unknown: '未知',
    critical: '严重', error: '错误', warning: '警告', info: '提示', notInWindow: '不在图表窗口内',
  },
} as const;

/**
 * Backslash-escape what Markdown would interpret (CommonMark allows a backslash before any ASCII
 * punctuation): emphasis, code, links, raw HTML, tables, and block markers at the start of a line.
 */
export function escapeMarkdown(s: string): string {
  return escapeInline(s).replace(/^(\s*)([#+=-]|\d+[.)])/gm, (_m, sp: string, mark: string) => `${sp}${mark.slice(0, -1)}\\${mark.slice(-1)}`);
}

/** Escape for text inside a line (a heading's text, a table cell): no block markers to worry about. */
export function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}


function cell(s: string): string {
  return escapeInline(s.replace(/[\r\n]+/g, ' '));
}

/** An autolink needs no spaces or angle brackets; escape them instead of trusting the caller. */
function safeUrl(u: string): string {
  return u.replace(/[\s<>]/g, (c) => encodeURIComponent(c));
}

function pickText(s: SeriesSnapshot, lang: Lang): FindingText | undefined {
  const t = s.finding?.text;
  return t?.[lang] ?? t?.en ?? t?.['zh-CN'];
}

export function markdownReport(input: ReportInput): string {
  const { snapshot: snap, capture, lang } = input;
  const s = snap.series;
  const L = LABELS[lang];
  const text = pickText(snap, lang);
  const out: string[] = [];
  const a = formatEndpoint(snap.stream.a);
  const b = formatEndpoint(snap.stream.b);
  const [from, to] = s.dir === 0 ? [a, b] : [b, a];

  out.push(`# ${escapeInline(text?.title ?? L.untitled)}`, '');
  const meta: string[] = [];
  if (snap.finding) meta.push(`**${L.severity}:** ${L[snap.finding.severity]}`, `**${L.finding}:** \`${snap.finding.id}\``);
  meta.push(`**${L.stream}:** ${s.stream} (${escapeInline(a)} ⇄ ${escapeInline(b)})`);
  meta.push(`**${L.direction}:** ${escapeInline(from)} → ${escapeInline(to)}`);
  out.push(meta.join(' · '), '');
  if (snap.masked) out.push(`*${L.masked}*`, '');

  out.push(`## ${L.capture}`, '', '| | |', '|---|---|');
  out.push(`| ${L.file} | ${capture.name !== undefined ? cell(capture.name) : L.unknown} |`);
  out.push(`| ${L.size} | ${capture.size !== undefined ? `${capture.size.toLocaleString('en')} ${L.bytes}` : L.unknown} |`);
  out.push(`| ${L.fingerprint} | \`${capture.fingerprint.replace(/[^0-9a-f]/g, '')}\` |`);
  out.push(`| ${L.window} | ${s.t0.toFixed(6)} – ${s.t1.toFixed(6)} s |`);
  if (s.pathMtu > 0) out.push(`| ${L.mtu} | ${s.pathMtu} |`);
  out.push('');

  if (text && text.body.length > 0) {
    out.push(`## ${L.analysis}`, '');
    for (const p of text.body) out.push(escapeMarkdown(p), '');
  }
  if (text && text.remedy.length > 0) {
    out.push(`## ${L.remedy}`, '');
    for (const p of text.remedy) out.push(escapeMarkdown(p), '');
  }
  if (text && text.facts.length > 0) {
    out.push(`## ${L.numbers}`, '', '| | |', '|---|---|');
    for (const [k, v] of text.facts) out.push(`| ${cell(k)} | ${cell(v)} |`);
    out.push('');
  }

  const frames = snap.finding?.frames ?? [];
  if (frames.length > 0) {
    out.push(`## ${L.frames}`, '', `| ${L.frame} | ${L.time} | ${L.what} | ${L.flags} |`, '|---:|---:|---|---|');
    for (const f of frames) out.push(frameRow(snap, f, L));
    out.push('');
  }

  if (input.link) out.push(`## ${L.link}`, '', `<${safeUrl(input.link)}>`, '', `*${/[#&]snap=/.test(input.link) ? L.linkNoteSnapshot : L.linkNote}*`, '');
  return out.join('\n');
}

type Labels = (typeof LABELS)[Lang];

/** One evidence frame as the chart holds it: a data segment, an ACK (with its SACK blocks), or absent. */
function frameRow(snap: SeriesSnapshot, f: number, L: Labels): string {
  const s = snap.series;
  const i = s.segFrame.indexOf(f);
  if (i >= 0) {
    return `| ${f} | ${s.segTime[i].toFixed(6)} | ${L.seq} ${s.segSeq[i]} ${L.len} ${s.segLen[i]}, ${L.ipLen} ${s.segIpLen[i]} | ${cell(words(s.segFlags[i], SEG_WORDS))} |`;
  }
  const k = s.ackFrame.indexOf(f);
  if (k >= 0) {
    const sacks: string[] = [];
    for (let j = 0; j < s.sackCount; j++) if (s.sackFrame[j] === f) sacks.push(` SACK ${s.sackLeft[j]}-${s.sackRight[j]}`);
    return `| ${f} | ${s.ackTime[k].toFixed(6)} | ${L.ack} ${s.ackSeq[k]} ${L.win} ${s.ackWin[k] - s.ackSeq[k]}${sacks.join('')} | ${cell(words(s.ackFlags[k], ACK_WORDS))} |`;
  }
  const m = s.markFrame.indexOf(f);
  if (m >= 0) {
    const k = s.markKind[m];
    return `| ${f} | ${s.markTime[m].toFixed(6)} | ${[k & 1 ? 'SYN' : '', k & 2 ? 'FIN' : '', k & 4 ? 'RST' : ''].filter(Boolean).join(' ')} | |`;
  }
  return `| ${f} | | ${L.notInWindow} | |`;
}

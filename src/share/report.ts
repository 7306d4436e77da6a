/**
 * A finding as a Markdown report, to paste into a ticket or a chat: title, capture, stream, the
 * analysis text, the numbers behind it, the evidence frames and the permalink. Everything that
 * came from a capture or a link is escaped, so the report renders as the text it is.
 */
import { formatEndpoint } from './endpoint.js';
import type { CaptureRef } from './state.js';
import type { FindingText, Lang, SeriesSnapshot, SnapshotAck, SnapshotSegment } from './snapshot.js';
import { TCP_FLAG_NAMES } from '../tcp/types.js';

export interface ReportInput {
  lang: Lang;
  capture: CaptureRef;
  /** The evidence: the finding, its text and the chart window's packets. */
  snapshot: SeriesSnapshot;
  /** The permalink (whole URL), if one was made. */
  link?: string;
}

const LABELS = {
  en: {
    untitled: 'Finding', severity: 'Severity', finding: 'Finding', stream: 'Stream', direction: 'Data sender',
    capture: 'Capture', file: 'File', size: 'Size', bytes: 'bytes', fingerprint: 'SHA-256 (prefix)',
    analysis: 'Analysis', numbers: 'Numbers', frames: 'Evidence frames', frame: 'Frame', time: 'Time (s)',
    what: 'Packet', seq: 'Seq', len: 'Len', ipLen: 'IP length', flags: 'Analysis flags', ack: 'ACK', win: 'Window',
    link: 'Link', linkNote: 'The link carries no packet data: the recipient opens it with the same capture file, which never leaves their computer.',
    linkNoteSnapshot: 'The link carries a snapshot of this evidence: it opens without the capture file.',
    window: 'Chart window', mtu: 'Path MTU', masked: 'Addresses are masked.', unknown: 'unknown',
    error: 'error', warning: 'warning', info: 'info', notInWindow: 'not in the chart window',
  },
  'zh-CN': {
    untitled: '发现', severity: '严重程度', finding: '发现', stream: '流', direction: '数据发送方',
    capture: '抓包文件', file: '文件', size: '大小', bytes: '字节', fingerprint: 'SHA-256（前缀）',
    analysis: '分析', numbers: '数据', frames: '证据帧', frame: '帧', time: '时间（秒）',
    what: '报文', seq: '序号', len: '长度', ipLen: 'IP 长度', flags: '分析标记', ack: '确认号', win: '窗口',
    link: '链接', linkNote: '链接中不含任何报文数据：接收者需用同一个抓包文件打开，文件不会离开其电脑。',
    linkNoteSnapshot: '链接中带有这些证据的快照：无需抓包文件即可打开。',
    window: '图表时间窗口', mtu: '路径 MTU', masked: '地址已脱敏。', unknown: '未知',
    error: '错误', warning: '警告', info: '提示', notInWindow: '不在图表窗口内',
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

/** SYN, FIN and RST as words (the rest of the header flags says nothing about a finding). */
function tcpFlagWords(bits: number): string {
  return [bits & 0x02 ? ' SYN' : '', bits & 0x01 ? ' FIN' : '', bits & 0x04 ? ' RST' : ''].join('');
}

function cell(s: string): string {
  return escapeInline(s.replace(/[\r\n]+/g, ' '));
}

/** An autolink needs no spaces or angle brackets; escape them instead of trusting the caller. */
function safeUrl(u: string): string {
  return u.replace(/[\s<>]/g, (c) => encodeURIComponent(c));
}

function flagNames(bits: number): string {
  const names: string[] = [];
  for (let i = 0; i < TCP_FLAG_NAMES.length; i++) if (bits & (1 << i)) names.push(TCP_FLAG_NAMES[i]);
  return names.join(', ');
}

function pickText(s: SeriesSnapshot, lang: Lang): FindingText | undefined {
  const t = s.finding?.text;
  return t?.[lang] ?? t?.en ?? t?.['zh-CN'];
}

export function markdownReport(input: ReportInput): string {
  const { snapshot: s, capture, lang } = input;
  const L = LABELS[lang];
  const text = pickText(s, lang);
  const out: string[] = [];
  const a = formatEndpoint(s.stream.a);
  const b = formatEndpoint(s.stream.b);
  const [from, to] = s.direction === 'a' ? [a, b] : [b, a];

  out.push(`# ${escapeInline(text?.title ?? L.untitled)}`, '');
  const meta: string[] = [];
  if (s.finding) meta.push(`**${L.severity}:** ${L[s.finding.severity]}`, `**${L.finding}:** \`${s.finding.id}\``);
  meta.push(`**${L.stream}:** ${s.stream.index} (${escapeInline(a)} ⇄ ${escapeInline(b)})`);
  meta.push(`**${L.direction}:** ${escapeInline(from)} → ${escapeInline(to)}`);
  out.push(meta.join(' · '), '');
  if (s.masked) out.push(`*${L.masked}*`, '');

  out.push(`## ${L.capture}`, '', '| | |', '|---|---|');
  out.push(`| ${L.file} | ${capture.name !== undefined ? cell(capture.name) : L.unknown} |`);
  out.push(`| ${L.size} | ${capture.size !== undefined ? `${capture.size.toLocaleString('en')} ${L.bytes}` : L.unknown} |`);
  out.push(`| ${L.fingerprint} | \`${capture.fingerprint.replace(/[^0-9a-f]/g, '')}\` |`);
  out.push(`| ${L.window} | ${s.window.t0.toFixed(6)} – ${s.window.t1.toFixed(6)} s |`);
  if (s.mtu !== null) out.push(`| ${L.mtu} | ${s.mtu} |`);
  out.push('');

  if (text && text.body.length > 0) {
    out.push(`## ${L.analysis}`, '');
    for (const p of text.body) out.push(escapeMarkdown(p), '');
  }
  if (text && text.facts.length > 0) {
    out.push(`## ${L.numbers}`, '', '| | |', '|---|---|');
    for (const [k, v] of text.facts) out.push(`| ${cell(k)} | ${cell(v)} |`);
    out.push('');
  }

  const frames = s.finding?.frames ?? [];
  if (frames.length > 0) {
    const seg = new Map<number, SnapshotSegment>(s.segments.map((x) => [x.frame, x]));
    const ack = new Map<number, SnapshotAck>(s.acks.map((x) => [x.frame, x]));
    out.push(`## ${L.frames}`, '', `| ${L.frame} | ${L.time} | ${L.what} | ${L.flags} |`, '|---:|---:|---|---|');
    for (const f of frames) {
      const g = seg.get(f);
      const k = ack.get(f);
      if (g) out.push(`| ${f} | ${g.t.toFixed(6)} | ${L.seq} ${g.seq} ${L.len} ${g.len}, ${L.ipLen} ${g.ipLen}${g.df ? ' DF' : ''}${tcpFlagWords(g.tcpFlags)} | ${cell(flagNames(g.flags))} |`);
      else if (k) out.push(`| ${f} | ${k.t.toFixed(6)} | ${L.ack} ${k.ack} ${L.win} ${k.win}${k.sack.map(([l, r]) => ` SACK ${l}-${r}`).join('')} | ${cell(flagNames(k.flags))} |`);
      else out.push(`| ${f} | | ${L.notInWindow} | |`);
    }
    out.push('');
  }

  if (input.link) out.push(`## ${L.link}`, '', `<${safeUrl(input.link)}>`, '', `*${/[#&]snap=/.test(input.link) ? L.linkNoteSnapshot : L.linkNote}*`, '');
  return out.join('\n');
}

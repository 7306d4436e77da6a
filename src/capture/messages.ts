/**
 * English texts of the reader's warnings, keyed for translation. Templates use i18next's
 * `{{name}}` placeholders so the app's translation catalogue can take them over unchanged; numbers
 * are passed raw in `params` (so each language formats them) and formatted with thousands
 * separators here for the English message.
 */

export const captureMessages = {
  'capture.empty': 'the file is empty',
  'capture.tooShort': 'the file is only {{size}} bytes long: too short to be a packet capture',
  'capture.unknownFormat':
    'this is not a pcap or pcapng capture (it starts with the bytes {{bytes}}); save the capture as pcap or pcapng',
  'capture.otherFormat': 'this is {{what}}, not a pcap or pcapng capture; {{hint}}',
  'capture.truncatedRecord': 'the file ends in the middle of packet {{frame}} at byte {{offset}}: the capture was cut short',
  'capture.truncatedHeader':
    'the file ends in the middle of the header of packet {{frame}} at byte {{offset}}: the capture was cut short',
  'capture.truncatedFileHeader': 'the file ends inside its {{size}}-byte header: the capture was cut short',
  'capture.truncatedBlock':
    'the file ends in the middle of a {{block}} block at byte {{offset}}: the capture was cut short',
  'capture.recordTooLarge':
    'packet {{frame}} at byte {{offset}} claims {{caplen}} captured bytes, more than the {{max}}-byte limit: the file is damaged from here on',
  'capture.recordLargerThanSnaplen':
    'packet {{frame}} at byte {{offset}} holds {{caplen}} bytes, more than the snapshot length {{snaplen}} the file header promises; reading on',
  'capture.recordCaplenOverOrig':
    'packet {{frame}} at byte {{offset}} has more captured bytes ({{caplen}}) than it had on the wire ({{origlen}}); reading on',
  'capture.badBlockLength':
    'the block at byte {{offset}} has an impossible length ({{length}} bytes): the file is damaged from here on',
  'capture.blockTooLarge':
    'the block at byte {{offset}} claims {{length}} bytes, more than the {{max}}-byte limit: the file is damaged from here on',
  'capture.trailingLength':
    'the {{block}} block at byte {{offset}} ends with the length {{trailer}} instead of {{length}}: the block may be damaged',
  'capture.unknownInterface':
    'the packet block at byte {{offset}} refers to interface {{iface}}, which its section does not describe: skipped, not numbered (the next packet read is packet {{frame}})',
  'capture.unknownInterfaceStats':
    'the statistics block at byte {{offset}} refers to interface {{iface}}, which its section does not describe; ignored',
  'capture.packetTooLarge':
    'packet {{frame}} at byte {{offset}} holds {{caplen}} bytes, more than the {{max}}-byte limit; packet skipped',
  'capture.packetBeyondBlock':
    'packet {{frame}} at byte {{offset}} claims {{caplen}} captured bytes but its block has room for {{room}}; packet skipped',
  'capture.textMode':
    'the file was damaged by a text-mode transfer (for example FTP in ASCII mode), which rewrote line endings ({{how}}) near byte {{offset}}; transfer it again in binary mode',
  'capture.badByteOrder':
    'the section header at byte {{offset}} has a damaged byte-order mark: the file is damaged from here on',
  'capture.badBlockType':
    'the block at byte {{offset}} should start a new section but does not: the file is damaged from here on',
  'capture.unsupportedSection':
    'the section at byte {{offset}} uses pcapng version {{major}}.{{minor}}, which this reader does not know; its blocks are skipped',
  'capture.pcapVersion': 'the file header says pcap version {{major}}.{{minor}}; reading it as version 2.4',
  'capture.linkTypeReserved':
    'the link-type field of the file header has reserved bits set ({{value}}); using link type {{linkType}}',
  'capture.gzip': 'the compressed (gzip) data is damaged or cut short after {{offset}} bytes of content: {{detail}}',
  'capture.memoryLimit':
    'stopped after {{packets}} packets at byte {{offset}}: the packet table reached its limit of {{limitMb}} MB; everything before is analysed',
  'capture.packetLimit':
    'stopped after {{packets}} packets at byte {{offset}}: the limit of {{max}} packets was reached; everything before is analysed',
  'capture.memoryRefused':
    'stopped after {{packets}} packets at byte {{offset}}: no more memory could be had for the packet table ({{usedMb}} MB in use); everything before is analysed',
  'capture.suppressed': '{{count}} more warnings like this one were not shown: {{first}}',
  'capture.unsupportedLinkType':
    'packets of link type {{linkType}} are not decoded (supported: {{supported}}); they are listed without their protocol fields',
} as const;

export type CaptureMessageKey = keyof typeof captureMessages;

/**
 * The English phrases the reader puts into parameters (what a non-capture file is and what to do,
 * see sniff.ts; the gzip failure), keyed so a translation can replace them: renderWarning() in
 * src/i18n looks a parameter's value up here. A phrase not listed stays in English.
 */
export const capturePhrases = {
  'capture.what.zip': 'a ZIP archive',
  'capture.what.bzip2': 'a bzip2-compressed file',
  'capture.what.xz': 'an xz-compressed file',
  'capture.what.zstd': 'a zstd-compressed file',
  'capture.what.7zip': 'a 7-Zip archive',
  'capture.what.snoop': 'a Solaris snoop capture',
  'capture.what.netmon': 'a Microsoft Network Monitor capture',
  'capture.what.text': 'a text file',
  'capture.hint.extract': 'extract the capture from it first',
  'capture.hint.decompress': 'decompress it first (gzip-compressed captures can be opened as they are)',
  'capture.hint.convert': 'convert it to pcapng first, for example with editcap',
  'capture.hint.text': 'perhaps a capture printed as text; save the capture itself, for example with tcpdump -w file.pcap',
  'capture.detail.eof': 'unexpected end of file',
  // The decompressor's own messages (fflate) for damaged deflate data.
  'capture.detail.unexpectedEof': 'unexpected EOF',
  'capture.detail.blockType': 'invalid block type',
  'capture.detail.lengthLiteral': 'invalid length/literal',
  'capture.detail.distance': 'invalid distance',
  'capture.detail.gzipHeader': 'invalid gzip data',
} as const;

export type CapturePhraseKey = keyof typeof capturePhrases;

/** 1234567 → "1,234,567" (no locale dependence: the same text in Node, browsers and tests). */
export function groupThousands(n: number): string {
  const neg = n < 0;
  const s = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return neg ? `-${out}` : out;
}

/** Fill a template; numbers get thousands separators, except values named in `plain`. */
export function formatMessage(key: CaptureMessageKey, params: Record<string, string | number> = {}): string {
  return captureMessages[key].replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) return `{{${name}}}`;
    return typeof v === 'number' ? groupThousands(v) : v;
  });
}

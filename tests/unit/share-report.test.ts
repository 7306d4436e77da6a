import { describe, expect, it } from 'vitest';
import { urlFromState } from '../../src/share/codec.js';
import { maskAddresses } from '../../src/share/mask.js';
import { escapeMarkdown, markdownReport } from '../../src/share/report.js';
import { blackholeSnapshot, fullState } from './shareSamples.js';

const capture = { fingerprint: '0123456789abcdef0123456789abcdef', name: 'pmtu-blackhole.pcap', size: 15665 };

describe('share Markdown report', () => {
  it('has the title, capture, text, remedy, numbers, evidence frames and link', () => {
    const link = 'https://inspector.example/' + urlFromState(fullState());
    const md = markdownReport({ lang: 'en', capture, snapshot: blackholeSnapshot(), link });
    expect(md).toMatch(/^# PMTU black hole: packets from 198\.18\.1\.2:39144 to 198\.18\.3\.2:9090 above 1449 bytes are lost\n/);
    expect(md).toContain('**Severity:** critical · **Finding:** `pmtu-blackhole:s0:d0:f21` · **Stream:** 0 (198.18.1.2.39144 ⇄ 198.18.3.2.9090)');
    expect(md).toContain('| File | pmtu-blackhole.pcap |');
    expect(md).toContain('| Size | 15,665 bytes |');
    expect(md).toContain('| Path MTU | 1440 |');
    expect(md).toContain('## What to do');
    expect(md).toContain('| path MTU | 1359–1449 |');
    expect(md).toContain('| 21 | 0.914129 | Seq 346 Len 1398, IP length 1450 | DF, oversized |');
    expect(md).toContain('| 24 | 0.922047 | Seq 346 Len 1398, IP length 1450 | DF, oversized, retransmission |');
    expect(md).toContain('| 23 | 0.916948 | ACK 346 Window 68096 SACK 1744-3051 |  |');
    expect(md).toContain(`<${link}>`);
    expect(md).toContain('opens it with the same capture file');
  });

  it('lists evidence frames outside the chart window as such', () => {
    const snap = blackholeSnapshot();
    snap.finding!.frames = [999];
    expect(markdownReport({ lang: 'en', capture, snapshot: snap })).toContain('| 999 | | not in the chart window | |');
  });

  it('speaks Chinese when asked and falls back to the language it has', () => {
    const zh = markdownReport({ lang: 'zh-CN', capture, snapshot: blackholeSnapshot() });
    expect(zh).toContain('# PMTU 黑洞');
    expect(zh).toContain('**严重程度:** 严重');
    expect(zh).toContain('## 证据帧');
    const onlyEn = blackholeSnapshot();
    delete onlyEn.finding!.text['zh-CN'];
    expect(markdownReport({ lang: 'zh-CN', capture, snapshot: onlyEn })).toContain('# PMTU black hole');
  });

  it('escapes whatever came from a file or a link', () => {
    const snap = blackholeSnapshot();
    snap.finding!.text.en!.title = '<script>alert(1)</script> *x* [y](javascript:z)';
    const md = markdownReport({ lang: 'en', capture: { ...capture, name: 'a|b\n# c.pcap' }, snapshot: snap, link: 'https://x.example/#a b<c>' });
    expect(md).toContain('# \\<script\\>alert(1)\\</script\\> \\*x\\* \\[y\\](javascript:z)');
    expect(md).toContain('| File | a\\|b # c.pcap |');
    expect(md).toContain('<https://x.example/#a%20b%3Cc%3E>');
    expect(escapeMarkdown('plain 1.5 text (ok)')).toBe('plain 1.5 text (ok)');
    expect(escapeMarkdown('# a\n- b\n12. c')).toBe('\\# a\n\\- b\n12\\. c');
  });

  it('notes masking and snapshot links', () => {
    const md = markdownReport({ lang: 'en', capture, snapshot: maskAddresses(blackholeSnapshot()), link: 'https://x.example/#v=2&snap=abc' });
    expect(md).toContain('*Addresses are masked.*');
    expect(md).not.toMatch(/198\.18/);
    expect(md).toContain('opens without the capture file');
  });
});

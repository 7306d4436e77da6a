/**
 * The formatter's plural forms and the lists of src/diagnose/text.ts (listParams, secondsParams) in
 * both languages, and the links src/view/story.ts makes of them: every frame of a list, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { listParams, secondsParams } from '../../src/diagnose/text';
import { placeholders, translate, type Lang } from '../../src/i18n/index';
import { splitFrameRefs } from '../../src/view/story';

const linked = (text: string, maxFrame?: number) =>
  splitFrameRefs(text, maxFrame).flatMap((p) => ('frame' in p ? [p.frame] : []));

describe('plural forms', () => {
  it('takes the first form for 1 (number or string) and the other one otherwise', () => {
    const p = { sender: 'a', probes: 1 };
    expect(translate('en', 'zw.story.probes', p)).toBe('a sent 1 window probe while it waited (persist timer).');
    expect(translate('en', 'zw.story.probes', { ...p, probes: '1' })).toContain('1 window probe while');
    expect(translate('en', 'zw.story.probes', { ...p, probes: 0 })).toContain('0 window probes');
    expect(translate('en', 'zw.story.probes', { ...p, probes: 1200 })).toContain('1,200 window probes');
    expect(translate('en', 'points.title', { from: 'x', to: 'y', src: 's', dst: 'd', count: 1 })).toBe('Lost between x and y: 1 packet from s to d');
    // Chinese has no plural forms: the same parameter, written once.
    expect(translate('zh-CN', 'zw.story.probes', p)).toBe('等待期间，a 发送了 1 个窗口探测（坚持定时器）。');
  });

  it('reports the parameter of a plural placeholder as a placeholder', () => {
    expect(placeholders('{{count}} {{count|transmission|transmissions}} ({{ frames }})')).toEqual(['count', 'frames']);
    expect(placeholders('{{n|one|}} {{m| a | b }}')).toEqual(['m', 'n']);
  });

  it('leaves a plural placeholder whose parameter is missing as it is', () => {
    expect(translate('en', 'zw.story.probes', { sender: 'a' })).toContain('{{probes}} window {{probes|probe|probes}}');
  });
});

describe('lists', () => {
  const evidence = (lang: Lang, items: (number | string)[], max?: number) => translate(lang, 'cli.evidence', listParams('frames', items, max));

  it('joins short lists with the language\'s words, runs of frames as ranges', () => {
    expect(evidence('en', [21])).toBe('Evidence: frames 21');
    expect(evidence('en', [40, 21])).toBe('Evidence: frames 21 and 40');
    expect(evidence('en', [40, 21, 24, 25, 26, 27, 28, 29, 30, 24])).toBe('Evidence: frames 21, 24-30 and 40');
    expect(evidence('zh-CN', [21])).toBe('证据：帧 21');
    expect(evidence('zh-CN', [21, 40])).toBe('证据：帧 21 和 40');
    expect(evidence('zh-CN', [21, 24, 25, 26, 27, 28, 29, 30, 40])).toBe('证据：帧 21、24-30 和 40');
  });

  it('ends long lists with how many items were left out, each frame of a range counted', () => {
    const frames = [21, 24, 25, 26, 27, 28, 29, 30, 40, 50, 51, 52, 60];
    expect(evidence('en', frames, 3)).toBe('Evidence: frames 21, 24-30, 40, … and 4 more');
    expect(evidence('zh-CN', frames, 3)).toBe('证据：帧 21、24-30、40…等 4 个');
    expect(evidence('en', frames, 5)).toBe('Evidence: frames 21, 24-30, 40, 50-52 and 60');
    expect(evidence('en', Array.from({ length: 2000 }, (_, i) => 2 * i + 1))).toMatch(/^Evidence: frames 1, 3, 5, 7, 9, 11, 13, 15, … and 1,992 more$/);
    // At least one part is shown.
    expect(evidence('en', [1, 3], 0)).toBe('Evidence: frames 1, … and 1 more');
  });

  it('keeps texts as given, in their order, after the numbers', () => {
    expect(evidence('en', ['9', '3', '5'])).toBe('Evidence: frames 9, 3 and 5');
    expect(translate('zh-CN', 'cli.evidence', listParams('frames', [7, 'x']))).toBe('证据：帧 7 和 x');
  });

  it('says "none" for an empty list', () => {
    expect(evidence('en', [])).toBe('Evidence: frames none');
    expect(evidence('zh-CN', [])).toBe('证据：帧 无');
  });

  it('writes seconds in the order given with the precision of their size', () => {
    // A message that is its one parameter shows the list alone.
    const alone = (lang: Lang, p: Record<string, string | number>) => translate(lang, 'caveat.readerWarningPlaced', p);
    expect(alone('en', secondsParams('message', [1.0312, 0.2, 4, 12.34]))).toBe('1.03, 0.200, 4.00 and 12.3');
    expect(alone('zh-CN', secondsParams('message', [1.0312, 0.2, 4, 12.34]))).toBe('1.03、0.200、4.00 和 12.3');
    const long = secondsParams('message', [1, 2, 4, 8, 16, 32, 64, 120, 120, 120], 8);
    expect(alone('en', long)).toBe('1.00, 2.00, 4.00, 8.00, 16.0, 32.0, 64.0, 120, … and 2 more');
    expect(alone('zh-CN', long)).toBe('1.00、2.00、4.00、8.00、16.0、32.0、64.0、120…等 2 个');
    expect(alone('en', secondsParams('message', [0.5]))).toBe('0.500');
  });

  it('keeps two lists of one message apart by their names', () => {
    const p = { ...listParams('frames', [41, 46, 47, 48]), ...listParams('sizes', ['1450', '1500']), count: 4, from: 'a', to: 'b', maxOk: 1359 };
    expect(translate('en', 'points.story.frames', p)).toBe(
      'The lost packets are frames 41 and 46-48 at a, of 1450 and 1500 bytes (IP length). The largest packet of this direction that reached b had 1359 bytes.',
    );
  });
});

describe('frame links in list texts', () => {
  it('links every frame of a list, in both languages, and not the count of "and N more"', () => {
    for (const lang of ['en', 'zh-CN'] as Lang[]) {
      expect(linked(translate(lang, 'cli.evidence', listParams('frames', [21, 24, 25, 26, 30, 40])))).toEqual([21, 24, 26, 30, 40]);
      expect(linked(translate(lang, 'cli.evidence', listParams('frames', [21, 24, 25, 26, 30, 40, 50, 60, 70, 80], 3)))).toEqual([21, 24, 26, 30]);
      expect(linked(translate(lang, 'cli.evidence', listParams('frames', [5, 9], 1)))).toEqual([5]);
    }
    expect(linked('frames 21 and 12 more')).toEqual([21]);
    expect(linked('frames 21, 24-30, 40, … and 12 more')).toEqual([21, 24, 30, 40]);
    expect(linked('帧 21、24-30、40…等 12 个')).toEqual([21, 24, 30, 40]);
  });

  it('links exactly the shown parts of random lists', () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let k = 0; k < 300; k++) {
      const frames = Array.from({ length: 1 + rnd(40) }, () => 1 + rnd(3000));
      const max = 1 + rnd(10);
      const sorted = [...new Set(frames)].sort((a, b) => a - b);
      const parts: number[][] = [];
      for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        parts.push(j > i ? [sorted[i], sorted[j]] : [sorted[i]]);
        i = j + 1;
      }
      // The links: the ends of the parts shown, in order.
      const shown = parts.slice(0, max).flat();
      for (const lang of ['en', 'zh-CN'] as Lang[]) {
        const text = translate(lang, 'cli.evidence', listParams('frames', frames, max));
        expect(linked(text), text).toEqual(shown);
        expect(splitFrameRefs(text).map((p) => p.text).join('')).toBe(text);
      }
    }
  });

  it('does not take seconds, byte ranges or counts after a list for frames', () => {
    // The text that had "1" of "1.03" linked to frame 1.
    expect(linked('SYN in frames 25, 457, 527, 1.03, 1.00 s apart')).toEqual([25, 457, 527]);
    expect(linked('frame 21, 10.0.0.1:80 sent')).toEqual([21]);
    expect(linked('frames 12.5')).toEqual([]);
    expect(linked('第 1000 到 2000 字节，第 12 帧，帧 7')).toEqual([12, 7]);
    expect(linked('keyframes 3')).toEqual([]);
    expect(linked('frames 3,217, 4,000 and 5')).toEqual([3217, 4000, 5]);
    const text = 'frames 21, 24-30, … and 12 more (1.03 s)';
    expect(splitFrameRefs(text).map((p) => p.text).join('')).toBe(text);
  });
});

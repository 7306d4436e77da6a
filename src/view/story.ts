/**
 * Splits a finding's text into plain text and frame references, so the UI can make every frame
 * number a button. Recognises "frame 21", "frames 24-30", "frames 21, 24 and 30", "帧 21",
 * "帧 21、24-30 和 40", "第 21 帧", and the lists of src/diagnose/text.ts listParams: in
 * "frames 21, 24-30, … and 12 more" / "帧 21、24-30…等 12 个" the count is not a frame.
 */

export type StoryPart = { text: string } | { text: string; frame: number };

// A number may hold thousands commas ("3,217") but never ends in one, so ", " stays a separator. It
// is whole (never the "1" of "12"), not the integer part of a decimal ("1.03 s"), and not the count
// of "and 12 more".
const NUMBER = String.raw`#?\d(?:[\d,]*\d)?(?!\d|\.\d|\s*more\b)`;
// Numbers or ranges joined by commas, "and", "&", "、", "和", "至", dashes.
const LIST = String.raw`${NUMBER}(?:\s*(?:,|、|，|和|至|and\b|&|-|–|—|to\b)\s*${NUMBER})*`;
// "frame(s) LIST" / "帧 LIST", or "第 LIST 帧" ("第 3 到 5 字节" is about bytes).
const REF = new RegExp(String.raw`((?<![a-z])frames?|帧)(\s*)(${LIST})|(第)(\s*)(${LIST})(?=\s*帧)`, 'gi');
const NUM = /#?(\d[\d,]*\d|\d)/g;

function pushText(out: StoryPart[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && !('frame' in last)) last.text += text;
  else out.push({ text });
}

/** `maxFrame` (the capture's packet count) keeps numbers that cannot be frames as text. */
export function splitFrameRefs(text: string, maxFrame = Number.MAX_SAFE_INTEGER): StoryPart[] {
  const out: StoryPart[] = [];
  let at = 0;
  for (const m of text.matchAll(REF)) {
    const start = m.index ?? 0;
    const [keyword, space, list] = m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
    pushText(out, text.slice(at, start) + keyword + space);
    let inner = 0;
    for (const n of list.matchAll(NUM)) {
      const value = Number(n[1].replace(/,/g, ''));
      const nStart = n.index ?? 0;
      pushText(out, list.slice(inner, nStart));
      if (Number.isSafeInteger(value) && value >= 1 && value <= maxFrame) out.push({ text: n[0], frame: value });
      else pushText(out, n[0]);
      inner = nStart + n[0].length;
    }
    pushText(out, list.slice(inner));
    at = start + m[0].length;
  }
  pushText(out, text.slice(at));
  return out;
}

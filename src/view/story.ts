/**
 * Splits a finding's text into plain text and frame references, so the UI can make every frame
 * number a button. Recognises "frame 21", "frames 24-30", "frames 21, 24 and 30", "帧 21", "第 21 帧".
 */

export type StoryPart = { text: string } | { text: string; frame: number };

// A keyword, then a list of numbers or ranges joined by commas, "and", "&", "、", "和", "至", dashes.
// A number may hold thousands commas ("3,217") but never ends in one, so ", " stays a separator.
const REF = /(frames?|帧|第)(\s*)(#?\d(?:[\d,]*\d)?(?:\s*(?:,|、|，|和|至|and|&|-|–|—|to)\s*#?\d(?:[\d,]*\d)?)*)/gi;
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
    pushText(out, text.slice(at, start) + m[1] + m[2]);
    const list = m[3];
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

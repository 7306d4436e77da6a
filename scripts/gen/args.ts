/** Tiny `--name value` / `--flag` parser shared by the scripts (no dependency for four options). */
export function parseArgs(argv: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = 'true';
  }
  return out;
}

/** "1GiB", "100MiB", "512k", "1e6" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*([\d.e+]+)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!m) throw new Error(`cannot read size "${text}" (try 1GiB or 100MiB)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

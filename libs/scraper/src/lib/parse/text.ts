const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252 bytes 0x80–0x9F. Written by hand because Node 20's TextDecoder('windows-1252')
 * decodes them as ISO-8859-1 C1 controls (U+0080–U+009F), which is how FII addresses end up
 * with U+0096 instead of an en dash. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as is.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeCp1252(bytes: Uint8Array): string {
  return repairC1(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/** C1 controls never occur in page text: they are Windows-1252 bytes someone decoded as Latin-1. */
function repairC1(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]);
}

/**
 * Decodes a response body. Fundamentus declares ISO-8859-1 but sends Windows-1252 bytes, and
 * many saved copies were transcoded to UTF-8 without fixing the meta tag, so the bytes decide:
 * valid UTF-8 → UTF-8, anything else → Windows-1252 (a superset of Latin-1's printable range).
 * Text that was already mis-decoded as Latin-1 (C1 controls such as U+0096) is repaired too.
 */
export function decodeBody(body: Uint8Array | string): string {
  if (typeof body === 'string') return repairC1(body);
  try {
    return repairC1(stripBom(utf8.decode(body)));
  } catch {
    return decodeCp1252(body);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Collapses runs of whitespace (including NBSP, tabs, newlines) into one space and trims. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * The key used to match a label or header: accents removed (NFKD), lower case, punctuation
 * spacing normalised. "Vol $ méd (2m)" → "vol $ med (2m)", "Div Br/ Patrim" → "div br/patrim".
 * A U+FFFD (an accent lost by someone's transcoding) is kept as is, see `labelMatches`.
 */
const keyCache = new Map<string, string>();

export function labelKey(label: string): string {
  let key = keyCache.get(label);
  if (key === undefined) {
    key = computeLabelKey(label);
    // Labels come from a small fixed vocabulary; the bound only guards against odd input.
    if (keyCache.size < 4096) keyCache.set(label, key);
  }
  return key;
}

function computeLabelKey(label: string): string {
  return cleanText(label)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s*([/.])\s*/g, '$1');
}

/**
 * Finds the known key a damaged label stands for. A run of n U+FFFD stands for n/2 to n
 * characters of the original (one accented letter became one U+FFFD, or two when its UTF-8 bytes were lost). Returns
 * the known key only if exactly one known key fits, so damage never yields a wrong pairing.
 */
export function matchDamagedKey(key: string, knownKeys: Iterable<string>): string | undefined {
  if (!key.includes('\ufffd')) return undefined;
  const source = key.replace(/\ufffd+|[^\ufffd]+/g, (part) =>
    part.startsWith('\ufffd') ? `[^\\s/.]{${Math.ceil(part.length / 2)},${part.length}}` : escapeRegExp(part),
  );
  const pattern = new RegExp(`^${source}$`);
  const hits = [...knownKeys].filter((k) => pattern.test(k));
  return hits.length === 1 ? hits[0] : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

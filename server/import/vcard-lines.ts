/**
 * The line syntax of vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350): unfolding, property
 * names with groups (item1.EMAIL), parameters (with 2.1's bare ones: TEL;WORK;VOICE), and
 * value decoding (quoted-printable in a CHARSET, base64, backslash escapes).
 *
 * Written here rather than taken from a package: the vCard parsers on npm read 3.0/4.0 but
 * none reads 2.1's quoted-printable with soft line breaks and per-property CHARSET, which is
 * what Outlook and older phones export.
 */
import iconv from 'iconv-lite';

export interface VcardProperty {
	/** "item1" in item1.EMAIL; null when ungrouped. */
	group: string | null;
	/** Upper case: EMAIL, TEL, N, X-ABLABEL … */
	name: string;
	/** Parameter names upper case; values as given (TYPE values split at commas). */
	params: Map<string, string[]>;
	/** The raw value, unfolded, not yet unescaped or decoded. */
	value: string;
	/** The physical line the property starts on (1-based). */
	line: number;
}

const isQuotedPrintable = (head: string) => /(^|;)(ENCODING=)?QUOTED-PRINTABLE(;|:|$)/i.test(head);

/** Index of the first ':' that is not inside a double-quoted parameter value. */
function valueStart(line: string): number {
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (c === '"') quoted = !quoted;
		else if (c === ':' && !quoted) return i;
	}
	return -1;
}

/**
 * Logical lines from text: folded lines (a line break followed by a space or tab) joined
 * (RFC 6350 3.2), and 2.1 quoted-printable values continued after a soft line break ("=" at
 * the end of the line, RFC 2045 6.7).
 */
export function unfold(text: string): { text: string; line: number }[] {
	const physical = text.split(/\r\n|\r|\n/);
	const out: { text: string; line: number }[] = [];
	for (let i = 0; i < physical.length; i++) {
		const l = physical[i];
		if ((l.startsWith(' ') || l.startsWith('\t')) && out.length > 0) {
			out[out.length - 1].text += l.slice(1);
			continue;
		}
		let current = l;
		const start = i;
		const colon = valueStart(current);
		if (colon > 0 && isQuotedPrintable(current.slice(0, colon))) {
			while (current.endsWith('=') && i + 1 < physical.length) {
				current = current.slice(0, -1) + physical[++i];
			}
		}
		out.push({ text: current, line: start + 1 });
	}
	return out;
}

/** Splits at `sep` where it is not inside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
	const parts: string[] = [];
	let quoted = false;
	let from = 0;
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '"') quoted = !quoted;
		else if (s[i] === sep && !quoted) {
			parts.push(s.slice(from, i));
			from = i + 1;
		}
	}
	parts.push(s.slice(from));
	return parts;
}

/** 2.1 bare parameters: which parameter a bare word belongs to. */
function bareParam(word: string): string {
	const w = word.toUpperCase();
	if (w === 'QUOTED-PRINTABLE' || w === 'BASE64' || w === '8BIT' || w === '7BIT' || w === 'B') return 'ENCODING';
	return 'TYPE';
}

/** One property line, or null when it is not one (a stray line of text). */
export function parseProperty(text: string, line: number): VcardProperty | null {
	const colon = valueStart(text);
	if (colon <= 0) return null;
	const [head, ...paramParts] = splitOutsideQuotes(text.slice(0, colon), ';');
	const dot = head.indexOf('.');
	const group = dot > 0 ? head.slice(0, dot) : null;
	const name = (dot > 0 ? head.slice(dot + 1) : head).trim().toUpperCase();
	if (!/^[A-Z0-9-]+$/.test(name)) return null;
	const params = new Map<string, string[]>();
	for (const p of paramParts) {
		if (p === '') continue;
		const eq = p.indexOf('=');
		const key = eq < 0 ? bareParam(p) : p.slice(0, eq).trim().toUpperCase();
		const raw = eq < 0 ? p : p.slice(eq + 1);
		const values = splitOutsideQuotes(raw, ',').flatMap((v) => {
			const unquoted = v.trim().replace(/^"(.*)"$/, '$1');
			// RFC 6350 writes lists quoted too: TYPE="work,voice".
			return key === 'TYPE' ? unquoted.split(',').map((t) => t.trim()) : [unquoted];
		});
		params.set(key, [...(params.get(key) ?? []), ...values.filter((v) => v !== '')]);
	}
	return { group, name, params, value: text.slice(colon + 1), line };
}

export const param = (p: VcardProperty, key: string): string | null => p.params.get(key)?.[0] ?? null;

/** TYPE values, lower case, also from 2.1 bare words and from 4.0's quoted lists. */
export const types = (p: VcardProperty): string[] => (p.params.get('TYPE') ?? []).map((t) => t.toLowerCase());

/** Bytes of a quoted-printable value (soft breaks already joined). */
export function decodeQuotedPrintable(s: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			out.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else if (c === '=' && i === s.length - 1) {
			// a soft break at the very end
		} else {
			for (const b of Buffer.from(c, 'utf8')) out.push(b);
		}
	}
	return Uint8Array.from(out);
}

/** Text from bytes in a vCard CHARSET (UTF-8 when absent or unknown). */
export function decodeCharset(bytes: Uint8Array, charset: string | null): string {
	const cs = (charset ?? 'utf-8').toLowerCase();
	const name = iconv.encodingExists(cs) ? cs : 'utf-8';
	return iconv.decode(Buffer.from(bytes), name);
}

/** The text of a property's value: quoted-printable decoded in its CHARSET, or as it is. */
export function rawText(p: VcardProperty): string {
	const enc = param(p, 'ENCODING')?.toUpperCase();
	if (enc === 'QUOTED-PRINTABLE') return decodeCharset(decodeQuotedPrintable(p.value), param(p, 'CHARSET'));
	return p.value;
}

/** Backslash escapes of RFC 6350 3.4: \n \N \, \; \\ (2.1 and sloppy writers leave some bare). */
export function unescapeText(s: string): string {
	return s.replace(/\\([nN,;:\\])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits at an unescaped `sep` (the ; of N/ADR/ORG, the , of CATEGORIES), each part unescaped. */
export function splitValue(s: string, sep: ';' | ','): string[] {
	const parts: string[] = [];
	let cur = '';
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '\\' && i + 1 < s.length) {
			cur += c + s[++i];
		} else if (c === sep) {
			parts.push(cur);
			cur = '';
		} else cur += c;
	}
	parts.push(cur);
	return parts.map((p) => unescapeText(p).trim());
}

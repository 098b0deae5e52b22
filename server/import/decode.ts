/**
 * Bytes of an uploaded file → UTF-8 bytes, as a stream (issue #13 item 3): a 200 MB file is
 * never held whole; memory stays at one chunk plus a few bytes of an unfinished character.
 *
 * Which encoding (the files people have):
 * - a byte order mark decides: UTF-8 (Excel's "CSV UTF-8"), UTF-16 LE (Excel's "Unicode
 *   text", Outlook) or UTF-16 BE;
 * - no mark, but NUL bytes in every other position of the first bytes: UTF-16 without BOM;
 * - otherwise UTF-8, unless the first non-ASCII bytes are not valid UTF-8: then Windows-1252
 *   (Excel "CSV" in a Western locale). Until the first non-ASCII byte both read the same, so
 *   the choice waits for it, however deep into the file it comes.
 *
 * Node's own TextDecoder is not used for Windows-1252: Node 20 decodes that label as
 * ISO-8859-1 (0x80 gives U+0080 instead of €, 0x93 no “), so iconv-lite does the decoding.
 */
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** What decoding found: the encoding, whether a BOM said so, and characters that could not be read. */
export interface DecodeInfo {
	encoding: Encoding | null;
	bom: boolean;
	/** Invalid sequences replaced by U+FFFD (a UTF-8 file with a few broken bytes). */
	replaced: number;
}

const ICONV: Record<Encoding, string> = {
	'utf-8': 'utf8',
	'utf-16le': 'utf16le',
	'utf-16be': 'utf16be',
	'windows-1252': 'win1252'
};

/** How many bytes a UTF-8 sequence starting with `lead` has, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
	if (lead >= 0xc2 && lead <= 0xdf) return 2;
	if (lead >= 0xe0 && lead <= 0xef) return 3;
	if (lead >= 0xf0 && lead <= 0xf4) return 4;
	return 0;
}

/** RFC 3629 table 3-7: the allowed range of the second byte, which rules out overlongs and surrogates. */
function secondByteOk(lead: number, b: number): boolean {
	if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
	if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
	if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
	if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
	return b >= 0x80 && b <= 0xbf;
}

/**
 * Reads the non-ASCII sequences of `bytes` from `from` on: 'utf-8' when the first ones are
 * valid UTF-8 (a broken byte after them is a damaged UTF-8 file, not Windows-1252: text in
 * that encoding practically never forms valid UTF-8), 'windows-1252' when the first is not, and
 * 'undecided' when none is complete yet (the caller waits for more bytes, or at the end of
 * the file calls it Windows-1252).
 */
export function sniffNonAscii(bytes: Uint8Array, from = 0): Encoding | 'undecided' {
	let seen = false;
	const invalid = () => (seen ? 'utf-8' : 'windows-1252');
	for (let i = from; i < bytes.length; i++) {
		const b = bytes[i];
		if (b < 0x80) continue;
		const len = sequenceLength(b);
		if (len === 0) return invalid();
		if (i + len > bytes.length) {
			// Unfinished at the end: judge by what is there.
			for (let k = i + 1; k < bytes.length; k++) {
				const c = bytes[k];
				if (k === i + 1 ? !secondByteOk(b, c) : c < 0x80 || c > 0xbf) return invalid();
			}
			return seen ? 'utf-8' : 'undecided';
		}
		if (!secondByteOk(b, bytes[i + 1])) return invalid();
		for (let k = i + 2; k < i + len; k++) if (bytes[k] < 0x80 || bytes[k] > 0xbf) return invalid();
		seen = true;
		i += len - 1;
		if (i - from > 4096) break; // enough seen
	}
	return seen ? 'utf-8' : 'undecided';
}

/** The encoding a byte order mark names, and its length; null when there is none. */
export function bomOf(bytes: Uint8Array): { encoding: Encoding; length: number } | null {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
	return null;
}

/** UTF-16 without a BOM: ASCII text in it has a NUL in every other byte. */
function utf16Without(bytes: Uint8Array): Encoding | null {
	const n = Math.min(bytes.length, 512) & ~1;
	if (n < 8) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZero++;
		if (bytes[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero > pairs * 0.6 && evenZero === 0) return 'utf-16le';
	if (evenZero > pairs * 0.6 && oddZero === 0) return 'utf-16be';
	return null;
}

/** Enough bytes to see a BOM or the UTF-16 pattern before choosing. */
const HEAD_BYTES = 64;

/**
 * The decoding itself, fed chunk by chunk: each call returns the UTF-8 bytes it can give so
 * far. `forced` skips detection (the user picked the encoding).
 */
export class Decoder {
	readonly info: DecodeInfo = { encoding: null, bom: false, replaced: 0 };
	private decoder: ReturnType<typeof iconv.getDecoder> | null = null;
	/** Bytes not yet decoded: the head before the BOM check, or an undecided character. */
	private held: Buffer = Buffer.alloc(0);
	private headSeen = false;
	private out: Buffer[] = [];

	constructor(forced?: Encoding) {
		if (forced) this.choose(forced);
	}

	write(chunk: Uint8Array): Buffer[] {
		this.take(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false);
		return this.drain();
	}

	end(): Buffer[] {
		this.take(Buffer.alloc(0), true);
		if (this.decoder) this.pushText(this.decoder.end() ?? '');
		return this.drain();
	}

	private drain(): Buffer[] {
		const out = this.out;
		this.out = [];
		return out;
	}

	private choose(encoding: Encoding): void {
		this.info.encoding = encoding;
		this.decoder = iconv.getDecoder(ICONV[encoding], { stripBOM: true });
	}

	private pushText(text: string): void {
		if (text === '') return;
		for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) this.info.replaced++;
		this.out.push(Buffer.from(text, 'utf8'));
	}

	private take(chunk: Buffer, end: boolean): void {
		if (this.decoder) {
			if (this.held.length > 0) {
				chunk = Buffer.concat([this.held, chunk]);
				this.held = Buffer.alloc(0);
			}
			if (chunk.length > 0) this.pushText(this.decoder.write(chunk));
			return;
		}
		let buf = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
		this.held = Buffer.alloc(0);
		if (!this.headSeen) {
			if (buf.length < HEAD_BYTES && !end) {
				this.held = Buffer.from(buf);
				return;
			}
			this.headSeen = true;
			const bom = bomOf(buf);
			const utf16 = bom ? null : utf16Without(buf);
			if (bom || utf16) {
				this.info.bom = bom !== null;
				this.choose(bom?.encoding ?? utf16!);
				this.take(bom ? buf.subarray(bom.length) : buf, end);
				return;
			}
		}
		// ASCII passes through until the first byte that decides between UTF-8 and Windows-1252.
		let i = 0;
		while (i < buf.length && buf[i] < 0x80) i++;
		if (i > 0) {
			this.out.push(Buffer.from(buf.subarray(0, i)));
			buf = buf.subarray(i);
		}
		if (buf.length === 0) return;
		const found = sniffNonAscii(buf);
		if (found === 'undecided' && !end) {
			this.held = Buffer.from(buf); // at most 3 bytes of an unfinished character
			return;
		}
		this.choose(found === 'undecided' ? 'windows-1252' : found);
		this.take(buf, end);
	}
}

/** The file's bytes → UTF-8 bytes (no BOM), as a stream; `info` tells what it found. */
export class DecodeStream extends Transform {
	private readonly decoder: Decoder;

	constructor(forced?: Encoding) {
		super();
		this.decoder = new Decoder(forced);
	}

	get info(): DecodeInfo {
		return this.decoder.info;
	}

	override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
		for (const b of this.decoder.write(chunk)) this.push(b);
		done();
	}

	override _flush(done: TransformCallback): void {
		for (const b of this.decoder.end()) this.push(b);
		done();
	}
}

/** Decodes a whole small file (a vCard) the same way the stream does. */
export function decodeBytes(bytes: Uint8Array, forced?: Encoding): { text: string; info: DecodeInfo } {
	const d = new Decoder(forced);
	const out = [...d.write(bytes), ...d.end()];
	return { text: Buffer.concat(out).toString('utf8'), info: d.info };
}

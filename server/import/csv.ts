/**
 * Reading a CSV upload as records (issue #13 item 3): decoded (decode.ts), the delimiter
 * detected from the first lines, parsed by csv-parse as a stream. Each record carries the
 * physical line it starts on (a quoted field may span lines), which is what the report shows.
 *
 * Memory is bounded: the detection looks at the first 64 kB, csv-parse holds one record, and
 * a record over MAX_RECORD_BYTES (an unclosed quote swallowing the rest of the file) stops
 * the read with an error naming its line instead of growing without limit.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { DecodeStream, type DecodeInfo, type Encoding } from './decode.ts';

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** One record of the file: its cells as text and the line (1-based) it starts on. */
export interface CsvRecord {
	line: number;
	cells: string[];
}

export const MAX_RECORD_BYTES = 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_LINES = 20;

export type CsvFailure = 'unclosed_quote' | 'record_too_large' | 'not_csv' | 'empty';

/** The file cannot be read on from `line` (what a report shows instead of a crash). */
export class CsvFileError extends Error {
	constructor(
		readonly code: CsvFailure,
		readonly line: number | null
	) {
		super(line === null ? `CSV: ${code}` : `CSV: ${code} at line ${line}`);
	}
}

/**
 * Counts of each delimiter outside quotes, per logical line (a quoted line break does not
 * end one), for the first SAMPLE_LINES lines of `sample`.
 */
function countPerLine(sample: string): Record<Delimiter, number[]> {
	const counts: Record<Delimiter, number[]> = { ',': [], ';': [], '\t': [] };
	let current: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
	let quoted = false;
	let lines = 0;
	let blank = true;
	const endLine = () => {
		if (!blank) for (const d of DELIMITERS) counts[d].push(current[d]);
		if (!blank) lines++;
		current = { ',': 0, ';': 0, '\t': 0 };
		blank = true;
	};
	for (let i = 0; i < sample.length && lines < SAMPLE_LINES; i++) {
		const c = sample[i];
		if (c === '"') {
			quoted = !quoted; // "" inside a quoted field toggles twice: no change
			blank = false;
		} else if (quoted) continue;
		else if (c === '\n' || c === '\r') endLine();
		else {
			if (c === ',' || c === ';' || c === '\t') current[c]++;
			if (c !== ' ') blank = false;
		}
	}
	// The last line of a sample cut mid-way is left out unless it is all there is.
	if (lines === 0) endLine();
	return counts;
}

/**
 * The delimiter of a CSV text from its first lines: of those on the header line, the one
 * that appears as often on the most lines (a `,` in "Müller, Hans" under `;` columns is not
 * on every line). Ties go to tab, then `;`, then `,`: a tab or `;` splitting every line the
 * same way is rarer by chance than commas in text.
 */
export function detectDelimiter(sample: string): Delimiter {
	const counts = countPerLine(sample);
	let best: Delimiter = ',';
	let bestScore = -1;
	for (const d of ['\t', ';', ','] as const) {
		const perLine = counts[d];
		const header = perLine[0] ?? 0;
		if (header === 0) continue;
		const same = perLine.filter((n) => n === header).length;
		// Consistency first, then the number of columns it gives.
		const score = (same / perLine.length) * 1000 + Math.min(header, 999) / 1000;
		if (score > bestScore) {
			best = d;
			bestScore = score;
		}
	}
	return best;
}

export interface OpenedCsv {
	delimiter: Delimiter;
	/** Filled as the file is read; final once `records` is done. */
	decoding: DecodeInfo;
	/** Every record in order, the header row first (empty lines are records with one empty cell). */
	records: AsyncIterable<CsvRecord>;
}

export interface CsvOptions {
	/** Chosen by the user; detected when absent. */
	delimiter?: Delimiter;
	encoding?: Encoding;
}

/** Opens an upload (a stream of the file's bytes) for reading record by record. */
export async function openCsv(source: Readable | AsyncIterable<Uint8Array>, opts: CsvOptions = {}): Promise<OpenedCsv> {
	const decode = new DecodeStream(opts.encoding);
	const input = source instanceof Readable ? source : Readable.from(source);
	input.on('error', (e) => decode.destroy(e));
	const decoded = input.pipe(decode)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

	// The sample: enough whole lines to see the delimiter, never the whole file.
	const head: Buffer[] = [];
	let size = 0;
	let ended = false;
	while (size < SAMPLE_BYTES) {
		const next = await decoded.next();
		if (next.done) {
			ended = true;
			break;
		}
		head.push(next.value);
		size += next.value.length;
	}
	const sample = Buffer.concat(head).toString('utf8');
	if (sample.trim() === '') throw new CsvFileError('empty', null);
	if (sample.includes('\u0000')) throw new CsvFileError('not_csv', 1);
	const delimiter = opts.delimiter ?? detectDelimiter(sample);

	async function* bytes(): AsyncGenerator<Buffer> {
		yield* head;
		if (ended) return;
		for (let n = await decoded.next(); !n.done; n = await decoded.next()) yield n.value;
	}
	return { delimiter, decoding: decode.info, records: records(Readable.from(bytes()), delimiter) };
}

/**
 * CRLF and lone CR become LF, in the UTF-8 bytes (0x0D and 0x0A never occur inside a
 * multi-byte character). Real exports mix them (rows end CRLF, a line break typed in a cell
 * is LF, old Mac files use CR); csv-parse would take the first one it meets for the whole
 * file. Stored text gets one kind of line break.
 */
export class NewlineStream extends Transform {
	private pendingCr = false;

	override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
		const out = Buffer.allocUnsafe(chunk.length + 1);
		let n = 0;
		let i = 0;
		if (this.pendingCr) {
			out[n++] = 0x0a;
			if (chunk[0] === 0x0a) i = 1;
			this.pendingCr = false;
		}
		for (; i < chunk.length; i++) {
			const b = chunk[i];
			if (b !== 0x0d) out[n++] = b;
			else if (i + 1 === chunk.length) this.pendingCr = true;
			else {
				out[n++] = 0x0a;
				if (chunk[i + 1] === 0x0a) i++;
			}
		}
		if (n > 0) this.push(out.subarray(0, n));
		done();
	}

	override _flush(done: TransformCallback): void {
		if (this.pendingCr) this.push(Buffer.from([0x0a]));
		done();
	}
}

/** Line breaks inside a record's raw text (a quoted field may hold some). */
function breaksInside(raw: string): number {
	const body = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
	let n = 0;
	for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) n++;
	return n;
}

const HIGH_WATER = 1000;
/**
 * Text of the records parsed and not yet taken: past this the parser waits too. Measured: a
 * file of 20 kB rows queued 1,000 of them (20 MB, twice with the raw text) on count alone.
 */
const HIGH_WATER_CHARS = 2 * 1024 * 1024;

/**
 * The records of a decoded text. Records parsed before a fault are all delivered first, and
 * then the fault (a file error naming its line): good rows are never lost to a bad one later.
 */
async function* records(text: Readable, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
	const parser = parse({
		delimiter,
		record_delimiter: '\n',
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: false,
		max_record_size: MAX_RECORD_BYTES,
		raw: true
	});
	const queue: (CsvRecord & { size: number })[] = [];
	let queued = 0;
	let failure: unknown = null;
	let ended = false;
	let wake: (() => void) | null = null;
	let nextLine = 1;
	const signal = () => {
		const w = wake;
		wake = null;
		w?.();
	};
	parser.on('data', (r: { record: string[]; raw: string }) => {
		queue.push({ line: nextLine, cells: r.record, size: r.raw.length });
		queued += r.raw.length;
		nextLine += breaksInside(r.raw) + 1;
		if (queue.length >= HIGH_WATER || queued >= HIGH_WATER_CHARS) parser.pause();
		signal();
	});
	parser.on('error', (e) => {
		failure = e;
		signal();
	});
	parser.on('end', () => {
		ended = true;
		signal();
	});
	text.on('error', (e) => parser.destroy(e));
	text.pipe(new NewlineStream()).pipe(parser);
	try {
		for (;;) {
			const r = queue.shift();
			if (r) {
				queued -= r.size;
				if (queue.length < HIGH_WATER / 2 && queued < HIGH_WATER_CHARS / 2 && parser.isPaused()) parser.resume();
				yield { line: r.line, cells: r.cells };
				continue;
			}
			if (failure) throw fileError(failure, nextLine);
			if (ended) return;
			await new Promise<void>((resolve) => (wake = resolve));
		}
	} finally {
		text.destroy();
		parser.destroy();
	}
}

function fileError(e: unknown, line: number): unknown {
	if (!(e instanceof CsvError)) return e;
	if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new CsvFileError('unclosed_quote', line);
	if (e.code === 'CSV_MAX_RECORD_SIZE') return new CsvFileError('record_too_large', line);
	return new CsvFileError('not_csv', line);
}

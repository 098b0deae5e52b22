/**
 * POST /api/import (issue #13 item 3): the file to import, as the request body, streamed to
 * a file in the data directory with a size cap (IMPORT_MAX_BYTES) — never buffered whole.
 * Answered with the detection and a preview of the first rows (imports.ts).
 *
 * Why not a SvelteKit route: adapter-node caps every request body at BODY_SIZE_LIMIT (512 KB
 * unless set) and the cap is one for all routes; raising it for everything would let any
 * form post send hundreds of megabytes. So this one route is served before SvelteKit, with
 * the same door: a staff session cookie (a portal contact's cookie is not one) and the
 * Origin check of the JSON APIs.
 *
 * Query: name (the file's name, for the report and to tell a .vcf), delimiter ("," ";"
 * "tab"), encoding, region (ISO code: national phone numbers of rows without a country):
 * run-options.ts. All can be changed afterwards (POST /api/import/<id>/options).
 * Nothing a client sends throws out of here; a file that cannot be imported leaves nothing.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { AppContext } from '../context.ts';
import { parseTarget } from '../request-guard.ts';
import { SESSION_COOKIE } from '../sessions.ts';
import { readCookie } from '../sync/upgrade.ts';
import { ImportFileError } from './import-file.ts';
import { chosenFromQuery } from './run-options.ts';

export const UPLOAD_PATH = '/api/import';

/** Is this request the upload (the one route served before SvelteKit)? */
export function isImportUpload(req: IncomingMessage): boolean {
	return req.method === 'POST' && parseTarget(req.url)?.pathname === UPLOAD_PATH;
}

class TooLarge extends Error {}

/** Counts the bytes going through and fails past `max`. */
class Cap extends Transform {
	size = 0;
	constructor(private readonly max: number) {
		super();
	}
	override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
		this.size += chunk.length;
		if (this.size > this.max) done(new TooLarge());
		else done(null, chunk);
	}
}

function answer(res: ServerResponse, status: number, body: unknown): void {
	if (res.headersSent) return void res.end();
	res.writeHead(status, {
		'content-type': 'application/json',
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff'
	});
	res.end(JSON.stringify(body));
}

/**
 * The rest of a body not taken is read and dropped, so the answer reaches a client still
 * sending (closing at once would reset the connection under it); a sender that goes on for
 * longer than DISCARD_MS is cut off.
 */
const DISCARD_MS = 30_000;
function discard(req: IncomingMessage): void {
	if (req.complete || req.destroyed) return;
	req.resume();
	const timer = setTimeout(() => req.destroy(), DISCARD_MS);
	timer.unref();
	req.once('end', () => clearTimeout(timer));
	req.once('close', () => clearTimeout(timer));
}

/**
 * The body to `file`, resolving with its size. Past `max` it rejects with TooLarge and the
 * rest of the body is read and dropped (the socket stays, so the 413 reaches the client).
 */
function receive(req: IncomingMessage, file: string, max: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const cap = new Cap(max);
		const out = fs.createWriteStream(file, { flags: 'wx' });
		let settled = false;
		const fail = (e: unknown) => {
			if (settled) return;
			settled = true;
			req.unpipe(cap);
			discard(req);
			cap.destroy();
			out.destroy();
			reject(e);
		};
		req.on('error', fail);
		req.on('close', () => {
			if (!req.complete) fail(new Error('upload aborted'));
		});
		cap.on('error', fail);
		out.on('error', fail);
		out.on('finish', () => {
			if (settled) return;
			settled = true;
			resolve(cap.size);
		});
		req.pipe(cap).pipe(out);
	});
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
	discard(req);
	answer(res, status, body);
}

export async function handleImportUpload(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	let file: string | null = null;
	try {
		// Origin first: a page on another site must not ride on the user's cookie.
		if (req.headers.origin !== ctx.originFor(req)) return refuse(req, res, 403, { error: 'cross_site' });
		const token = readCookie(req.headers.cookie, SESSION_COOKIE);
		const found = token ? ctx.auth.sessions.validate(token) : null;
		if (!found) return refuse(req, res, 401, { error: 'unauthorized' });
		const user = { id: found.user.id, role: found.user.role };
		if (!ctx.imports.mayUpload(user)) return refuse(req, res, 429, { error: 'too_many_uploads' });
		const params = parseTarget(req.url)!.params;
		const name = (params.get('name') ?? 'import').trim().slice(0, 200) || 'import';
		const chosen = chosenFromQuery(params);
		if (!chosen.ok) return refuse(req, res, 400, { error: 'bad_options', param: chosen.param });
		const max = ctx.config.importMaxBytes;
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > max) return refuse(req, res, 413, { error: 'too_large', max });

		const { imports } = ctx;
		const id = imports.newId();
		file = imports.filePath(id);
		const size = await receive(req, file, max);
		if (size === 0) throw new ImportFileError('empty');
		const inspected = await imports.inspect(user, id, name, chosen.value);
		file = null; // kept for the run
		answer(res, 201, inspected);
	} catch (e) {
		discard(req);
		if (e instanceof TooLarge) answer(res, 413, { error: 'too_large', max: ctx.config.importMaxBytes });
		else if (e instanceof ImportFileError) answer(res, 422, { error: e.code, line: e.line });
		else if (req.destroyed || req.readableAborted) res.destroy();
		else {
			console.error('import: upload failed:', e);
			answer(res, 500, { error: 'internal' });
		}
	} finally {
		if (file) await fs.promises.rm(file, { force: true }).catch(() => {});
	}
}

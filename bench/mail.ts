/**
 * E-mail delivery (issue #11): the real server process sends queued mail to a real SMTP
 * server (the smtp-server package) on loopback.
 *   1. throughput: `count` welcome mails queued while no SMTP_URL was set, then the server
 *      restarted with SMTP_URL: mails/s until the last is marked sent, and the server's RSS;
 *   2. an SMTP outage of `outageMs` in the middle of sending `outageCount` more: every mail
 *      must arrive exactly once (Message-IDs counted at the SMTP servers, the one before and
 *      the NEW one on the same port after — a closed instance listened again answers 421).
 * The SMTP side only reads each message's Message-ID header (no MIME parsing), so what is
 * measured is the server.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { secs, sleep, startServer, yes, type Row, type ServerProcess } from './harness.ts';

interface Peer {
	port: number;
	ids: string[];
	close(): Promise<void>;
}

async function peer(port = 0): Promise<Peer> {
	const ids: string[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		hideSTARTTLS: true,
		logger: false,
		// A short close: the outage starts at once (the default waits 30 s for clients to leave).
		closeTimeout: 100,
		onData(stream, _session, callback) {
			let head = '';
			stream.on('data', (c: Buffer) => {
				if (head.length < 8192) head += c.toString('utf8');
			});
			stream.on('end', () => {
				const id = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1];
				if (id) ids.push(id);
				callback(null, 'Queued');
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return {
		port: (server.server.address() as AddressInfo).port,
		ids,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** Queues `count` welcome mails straight into the SQLite file (as commits would), to distinct addresses over 20 domains. */
function queue(file: string, prefix: string, count: number): void {
	const db = new Database(file);
	db.pragma('busy_timeout = 5000');
	const now = Date.now();
	const customer = db.prepare(
		"INSERT OR IGNORE INTO customers (id, kind, company_name) VALUES ('bench-mail', 'company', 'Mail Bench GmbH')"
	);
	const contact = db.prepare(
		`INSERT INTO contacts (id, customer_id, first_name, last_name, email, email_key, is_primary)
		 VALUES (?, 'bench-mail', 'Ada', ?, ?, ?, 0)`
	);
	const row = db.prepare(
		`INSERT INTO outbox (kind, idempotency_key, customer_id, contact_id, to_email, created_at)
		 VALUES ('welcome', ?, 'bench-mail', ?, ?, ?)`
	);
	db.transaction(() => {
		customer.run();
		for (let i = 0; i < count; i++) {
			const id = `${prefix}-${i}`;
			const email = `${id}@d${i % 20}.example`;
			contact.run(id, `Contact ${i}`, email, email);
			row.run(`welcome:${id}`, id, email, now);
		}
	})();
	db.close();
}

function sent(file: string, prefix: string): number {
	const db = new Database(file, { readonly: true });
	try {
		return db
			.prepare("SELECT count(*) FROM outbox WHERE status = 'sent' AND idempotency_key LIKE ?")
			.pluck()
			.get(`welcome:${prefix}-%`) as number;
	} finally {
		db.close();
	}
}

async function untilSent(file: string, prefix: string, count: number, timeoutMs: number, server: ServerProcess) {
	let peakRss = 0;
	const end = Date.now() + timeoutMs;
	for (;;) {
		peakRss = Math.max(peakRss, server.memory().rss);
		if (sent(file, prefix) >= count) return peakRss;
		if (Date.now() > end) throw new Error(`mail bench: ${prefix} not all sent in ${secs(timeoutMs)}`);
		await sleep(100);
	}
}

export async function mailBench(opts: {
	count: number;
	outageCount: number;
	outageMs: number;
	log: (line: string) => void;
}): Promise<Row[]> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-mail-bench-'));
	const file = path.join(dir, 'fieldbook.sqlite');
	const env = { ADMIN_EMAIL: 'mail-bench@example.com', ADMIN_PASSWORD: 'mail bench admin password' };
	let server: ServerProcess | null = null;
	const peers: Peer[] = [];
	try {
		// Migrate with no SMTP_URL, queue, then start sending.
		server = await startServer(dir, env);
		await server.stop();
		queue(file, 't', opts.count);
		const first = await peer();
		peers.push(first);
		server = await startServer(dir, { ...env, SMTP_URL: `smtp://127.0.0.1:${first.port}` });
		const rssBefore = server.memory().rss;
		const t0 = Date.now();
		const peakRss = await untilSent(file, 't', opts.count, 600_000, server);
		const took = Date.now() - t0;
		const rate = opts.count / (took / 1000);
		opts.log(`mail: ${opts.count} mails in ${secs(took)} (${Math.round(rate)}/s)`);

		// The outage: queue more, take the SMTP server away for outageMs, bring a new one up.
		queue(file, 'o', opts.outageCount);
		await sleep(300);
		await first.close();
		opts.log(`mail: SMTP server down for ${secs(opts.outageMs)}`);
		await sleep(opts.outageMs);
		const second = await peer(first.port);
		peers.push(second);
		const back = Date.now();
		await untilSent(file, 'o', opts.outageCount, opts.outageMs + 600_000, server);
		const recovered = Date.now() - back;
		const all = [...first.ids, ...second.ids];
		const outageIds = new Set(all);
		const dupes = all.length - outageIds.size;
		const delivered = outageIds.size - opts.count;
		opts.log(
			`mail: after the outage all delivered ${secs(recovered)} after the SMTP server was back; ${dupes} duplicates`
		);
		return [
			{
				measure: `mail delivered to a local SMTP server, ${opts.count.toLocaleString('en')} queued`,
				value: `${Math.round(rate)} mails/s (${secs(took)}); server RSS ${Math.round(rssBefore / 1e6)} → ${Math.round(peakRss / 1e6)} MB peak`,
				target: '—',
				met: '—',
				notes:
					'Welcome mails queued while SMTP_URL was unset, then the real server restarted with it: from start to the last row ' +
					'marked sent (each rendered from its template, its own SMTP transaction, pooled over 5 connections, 20 recipient domains); ' +
					'the SMTP server (smtp-server, same machine) reads only the Message-ID'
			},
			{
				measure: `SMTP server down ${secs(opts.outageMs)} while sending ${opts.outageCount.toLocaleString('en')} mails`,
				value: `${delivered.toLocaleString('en')} of ${opts.outageCount.toLocaleString('en')} delivered, ${dupes} twice; all ${secs(recovered)} after it was back`,
				target: 'all, once',
				met: yes(delivered === opts.outageCount && dupes === 0),
				notes:
					`The SMTP server was closed 0.3 s after the mails were queued (while sending) and a NEW one started on the same port ` +
					`${secs(opts.outageMs)} later; Message-IDs counted at both. Temporary failures back off per recipient domain ` +
					'(1 s doubling to 1 h, half of it random), so the last retries come up to about the outage length after it ends'
			}
		];
	} finally {
		await server?.stop();
		for (const p of peers) await p.close().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

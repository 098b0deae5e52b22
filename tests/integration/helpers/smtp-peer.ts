/**
 * A real SMTP server on loopback (the smtp-server package) that records every message it
 * accepts, parsed with mailparser. `reply` decides the answer to each message's DATA: null
 * accepts (250), a number refuses with that code. To simulate an outage, close it and start
 * a NEW peer on the same port (a closed instance listened again answers 421 "shutting down").
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface Received {
	messageId: string | undefined;
	from: string | undefined;
	to: string | undefined;
	toName: string | undefined;
	rcptTo: string[];
	subject: string | undefined;
	text: string | undefined;
	html: string | false | undefined;
	raw: string;
	secure: boolean;
}

export interface SmtpPeer {
	port: number;
	url: string;
	received: Received[];
	/** Every DATA seen, accepted or not (1 = the first). */
	attempts: number;
	close(): Promise<void>;
}

export interface PeerOptions {
	port?: number;
	reply?: (attempt: number, rcpt: string[], raw: string) => number | null;
	/** Called when a message has arrived whole, before its 250 is written: may kill the sender. */
	beforeReply?: (mail: Received) => void;
	/** Called right after the 250 for an accepted message is written (synchronously): may kill the sender. */
	afterReply?: (mail: Received) => void;
	/** Offer STARTTLS (the built-in test certificate). */
	starttls?: boolean;
}

export async function startSmtpPeer(opts: PeerOptions = {}): Promise<SmtpPeer> {
	const received: Received[] = [];
	let attempts = 0;
	const server = new SMTPServer({
		authOptional: true,
		// A sender may keep its connection open (nodemailer pools): closing waits this long, not 30 s.
		closeTimeout: 500,
		disabledCommands: opts.starttls ? [] : ['STARTTLS'],
		hideSTARTTLS: !opts.starttls,
		logger: false,
		onData(stream, session: SMTPServerSession, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const attempt = ++attempts;
				const rcpt = session.envelope.rcptTo.map((r) => r.address);
				const code = opts.reply?.(attempt, rcpt, raw) ?? null;
				if (code !== null) {
					const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & {
						responseCode: number;
					};
					err.responseCode = code;
					callback(err);
					return;
				}
				simpleParser(raw).then(
					(m) => {
						const to = Array.isArray(m.to) ? m.to[0] : m.to;
						const mail: Received = {
							messageId: m.messageId,
							from: m.from?.value[0]?.address,
							to: to?.value[0]?.address,
							toName: to?.value[0]?.name,
							rcptTo: rcpt,
							subject: m.subject,
							text: m.text,
							html: m.html,
							raw,
							secure: session.secure
						};
						received.push(mail);
						opts.beforeReply?.(mail);
						callback(null, 'Queued');
						opts.afterReply?.(mail);
					},
					(e: unknown) => callback(e as Error)
				);
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		url: `smtp://127.0.0.1:${port}`,
		received,
		get attempts() {
			return attempts;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

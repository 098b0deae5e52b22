/**
 * The SMTP transport from SMTP_URL (nodemailer, pooled). The URL's scheme picks the TLS mode:
 *   smtp://user:pass@host:587    plain connection upgraded with STARTTLS when the server offers
 *                                it (port 587 by default); `?starttls=required` refuses to send
 *                                without it, `?starttls=off` never upgrades (a local relay)
 *   smtps://user:pass@host:465   TLS from the first byte (RFC 8314 implicit TLS; port 465)
 *   `?tls_verify=off`            accepts a self-signed certificate (a test or LAN relay only)
 * User and password are percent-decoded (a password with `@` or `:` is written %40, %3A).
 */
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export type MailTransport = ReturnType<typeof nodemailer.createTransport<SMTPPool.SentMessageInfo>>;

/** Parallel SMTP connections; a local relay takes ~5 at once without queueing. */
export const MAX_CONNECTIONS = 5;

export function smtpOptions(url: URL): SMTPPool.Options {
	const secure = url.protocol === 'smtps:';
	const q = url.searchParams;
	const starttls = q.get('starttls');
	const user = decodeURIComponent(url.username);
	return {
		pool: true,
		maxConnections: MAX_CONNECTIONS,
		maxMessages: 1000,
		host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: Number(url.port) || (secure ? 465 : 587),
		secure,
		requireTLS: !secure && starttls === 'required',
		ignoreTLS: !secure && starttls === 'off',
		auth: user ? { user, pass: decodeURIComponent(url.password) } : undefined,
		tls: q.get('tls_verify') === 'off' ? { rejectUnauthorized: false } : undefined,
		// A dead relay is noticed in seconds, not the library's two-minute default.
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 60_000
	};
}

export function createTransport(url: URL): MailTransport {
	return nodemailer.createTransport(smtpOptions(url));
}

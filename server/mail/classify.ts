/**
 * What an SMTP failure means for the row (RFC 5321 §4.2.1): a 5yz reply is permanent, the
 * row fails with the server's own words; a 4yz reply or a connection that failed or broke is
 * temporary and retried. An authentication failure (bad SMTP_URL credentials) is retried too:
 * it is the installation's fault, not the message's, and mail must survive the fix.
 */
export type Outcome = { retry: true; reason: string } | { retry: false; reason: string };

interface SmtpError {
	code?: unknown;
	responseCode?: unknown;
	response?: unknown;
	message?: unknown;
}

const MAX_REASON = 1000;

export function classify(error: unknown): Outcome {
	const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
	const code = typeof e.responseCode === 'number' ? e.responseCode : null;
	const said = typeof e.response === 'string' && e.response !== '' ? e.response : null;
	const message = typeof e.message === 'string' ? e.message : String(error);
	const reason = (said ?? (typeof e.code === 'string' ? `${e.code}: ${message}` : message)).slice(0, MAX_REASON);
	if (e.code === 'EAUTH') return { retry: true, reason };
	if (code !== null && code >= 500 && code < 600) return { retry: false, reason };
	return { retry: true, reason };
}

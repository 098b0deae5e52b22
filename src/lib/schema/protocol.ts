/**
 * The sync wire protocol, defined once for client and server. Fieldbook speaks the
 * y-websocket protocol (y-protocols sync + awareness) so the stock y-websocket client
 * connects; what it adds is listed here.
 */
export const PROTOCOL_VERSION = 1;

/** WebSocket endpoint; a document's socket is `${SYNC_PATH}/${docName}`. */
export const SYNC_PATH = '/sync';

export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/**
	 * Fieldbook's addition: the server's committed state vector for the document, sent after
	 * every commit that follows a sync message from this connection. Everything the client
	 * made that the vector covers is durable on the server ("synced"). Sent only to sockets
	 * that ask for it with `?ack=1`, so stock clients never see an unknown type.
	 */
	ack: 100
} as const;

/** Query parameter with which a client asks for acknowledgements. */
export const ACK_PARAM = 'ack';

/**
 * Close codes. 4400–4499 tell the stock y-websocket client not to reconnect (it retries
 * any other code forever), so every refusal that retrying cannot fix uses that range.
 */
export const CloseCode = {
	/** Server shutting down or restarting: the client should reconnect. */
	goingAway: 1001,
	/** A frame that does not decode as the protocol. */
	malformed: 4400,
	/** The session ended (sign-out, expiry, deactivation). */
	unauthorized: 4401,
	/** The user may not open this document, or may not change it. */
	forbidden: 4403,
	/** An update that breaks the schema (unknown key, wrong type, too long): refused whole. */
	invalidUpdate: 4422,
	/** A message over the configured size limit. */
	tooLarge: 4413,
	/** The server could not store a change; nothing of it was acknowledged: reconnect and resend. */
	storageError: 1011
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Document names: the customer's id (UUIDv7, made on the device) or a fixed name such as "settings". */
export const DOC_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDocName(name: string): boolean {
	return DOC_NAME_RE.test(name);
}

/**
 * Background sync: ONE socket per device (not one per document) at FEED_PATH. The client
 * says which global change sequence it has seen; the server streams every change since, then
 * keeps streaming live. Local changes made offline are pushed over the same socket in
 * batches, and acknowledged per document after the server's commit.
 *
 *   client → server  FeedMsg.hello    varUint since
 *   client → server  FeedMsg.push     varString doc, varUint8Array update
 *   server → client  FeedMsg.change   varUint seq, varString doc, varUint8Array update
 *                                     (a diff since the client's point, or the whole
 *                                     document when the log was compacted past it)
 *   server → client  FeedMsg.caughtUp varUint seq   (catch-up complete up to seq)
 *   server → client  FeedMsg.ack      varString doc, varUint8Array committed state vector
 */
export const FEED_PATH = '/feed';

export const FeedMsg = {
	hello: 0,
	push: 1,
	change: 10,
	caughtUp: 11,
	ack: 12
} as const;

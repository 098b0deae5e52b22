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
 * Each closes only the one socket that earned it; the server and every other socket carry on.
 * (A refused upgrade never becomes a socket: it gets an HTTP status instead, e.g. 401 without
 * a session, 429 over the upgrade rate limits; README "Sync protocol" lists them.)
 */
export const CloseCode = {
	/** Server shutting down or restarting: the client should reconnect. */
	goingAway: 1001,
	/**
	 * A frame over SYNC_MAX_MESSAGE_BYTES (RFC 6455 §7.4.1 "message too big"). Sent by the
	 * WebSocket layer (ws maxPayload) as soon as a frame's header announces the length, before
	 * any of it is buffered, so the code is the RFC's, not one of ours; the stock client
	 * retries it, and the upgrade rate limits bound how often.
	 */
	messageTooBig: 1009,
	/**
	 * A frame that does not decode as the protocol: a text frame, an unknown message type
	 * (sync, sync sub-type or feed), a truncated varint or length, trailing bytes, an empty
	 * update (zero bytes; the empty Yjs update is two), a feed push to a malformed document
	 * name, presence (awareness) that is not JSON objects or is nested too deep.
	 */
	malformed: 4400,
	/** The session ended (sign-out, expiry, deactivation). */
	unauthorized: 4401,
	/**
	 * The user may not open this document, or may not change it; or their presence
	 * (awareness) claims another user's identity, or a client id another user introduced.
	 */
	forbidden: 4403,
	/**
	 * An update that breaks the schema (unknown key, wrong type, too long) or is not a Yjs
	 * update at all (a well-formed frame carrying garbage): refused whole.
	 */
	invalidUpdate: 4422,
	/**
	 * Over a size limit: presence over PRESENCE_LIMITS (one state too long, one socket
	 * introducing too many client ids), or an update that would take a customer past its
	 * contacts limit (SYNC_MAX_CONTACTS).
	 */
	tooLarge: 4413,
	/**
	 * The user's sync messages exceed their byte budget (SYNC_BYTES_PER_USER_PER_SEC) for
	 * longer than 30 s of waiting: messages over the budget are first held (the socket
	 * paused), and only a sender that keeps flooding is closed.
	 */
	overBudget: 4429,
	/** The server could not store a change; nothing of it was acknowledged: reconnect and resend. */
	storageError: 1011
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Presence (y-protocols awareness) is relayed to everyone viewing a document, so what one
 * socket may put there is bounded (server/sync/awareness-guard.ts). The stock client speaks
 * for one client id over a socket's life (its document's); the rest is headroom.
 */
export const PRESENCE_LIMITS = {
	/** Client ids one socket may introduce presence for, over its life. */
	idsPerConnection: 4,
	/** Bytes of one state's JSON as sent. Fieldbook's (user, field being edited) is ~200. */
	stateBytes: 8 * 1024,
	/** Nesting of one state's JSON; deeper would make re-encoding it overflow the stack. */
	depth: 16
} as const;

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
 *                                     A catch-up is sent over several turns of the server;
 *                                     live changes committed meanwhile come as they happen,
 *                                     between its changes, before caughtUp.
 *   server → client  FeedMsg.caughtUp varUint seq   (catch-up complete up to seq)
 *   server → client  FeedMsg.ack      varString doc, varUint8Array committed state vector
 *   server → client  FeedMsg.refused  varString doc, varUint code, varString reason,
 *                                     varUint8Array state
 *                                     (a push the server did not apply — code is a CloseCode:
 *                                     4403 no access / may not change that, 4422 invalid;
 *                                     state is the server's whole document with the first
 *                                     refusal of it on this connection when the user may read
 *                                     it, else empty. The device keeps its unacknowledged edits
 *                                     of it in the "not saved" list and rebuilds the document
 *                                     from state, or from its committed copy when state is
 *                                     empty. Bytes that are no Yjs update close the feed.)
 *   server → client  FeedMsg.removed  varString doc
 *                                     (the user may no longer read the document: the device
 *                                     deletes it; unsent edits go to "not saved")
 *   server → client  FeedMsg.bundle   varUint count, count × varUint8Array message
 *                                     (several of the messages above in one frame, in the
 *                                     order they were sent, never a bundle in a bundle: what
 *                                     one turn of the server sends — a commit's changes, a
 *                                     catch-up in frames of up to FEED_BUNDLE_BYTES — to a
 *                                     feed opened with `?bundle=1`; one frame per message
 *                                     cost a compression flush and a message event each)
 *
 * Access (src/lib/schema/access.ts) applies to all of it: catch-up and live changes carry only
 * documents the user may read; a user who gains read access gets the whole document.
 */
export const FEED_PATH = '/feed';

/** Query parameter with which a device asks for FeedMsg.bundle frames (`?bundle=1`). */
export const BUNDLE_PARAM = 'bundle';

/** A bundle is sent once it holds this many bytes of messages (one message may exceed it alone). */
export const FEED_BUNDLE_BYTES = 256 * 1024;

export const FeedMsg = {
	hello: 0,
	push: 1,
	change: 10,
	caughtUp: 11,
	ack: 12,
	refused: 13,
	removed: 14,
	bundle: 15
} as const;

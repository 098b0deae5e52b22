/** Encoders and decoders of the background-sync feed messages (see FeedMsg in protocol.ts). */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { FeedMsg } from './protocol.ts';

export type FeedMessage =
	| { type: typeof FeedMsg.hello; since: number }
	| { type: typeof FeedMsg.push; doc: string; update: Uint8Array }
	| { type: typeof FeedMsg.change; seq: number; doc: string; update: Uint8Array }
	| { type: typeof FeedMsg.caughtUp; seq: number }
	| { type: typeof FeedMsg.ack; doc: string; sv: Uint8Array }
	| { type: typeof FeedMsg.refused; doc: string; code: number; reason: string; state: Uint8Array }
	| { type: typeof FeedMsg.removed; doc: string };

/** A frame: one message, or a bundle of several (decodeFrame). */
export type FeedFrame = FeedMessage | { type: typeof FeedMsg.bundle; messages: FeedMessage[] };

/** Several encoded messages as one FeedMsg.bundle frame, in order. */
export function encodeBundle(messages: readonly Uint8Array[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, FeedMsg.bundle);
	encoding.writeVarUint(e, messages.length);
	for (const m of messages) encoding.writeVarUint8Array(e, m);
	return encoding.toUint8Array(e);
}

/**
 * The messages of one frame, in order: a bundle's, or the frame's one message. Throws like
 * decodeFeed on anything malformed in it, and on a bundle inside a bundle.
 */
export function decodeFrame(data: Uint8Array): FeedMessage[] {
	const d = decoding.createDecoder(data);
	if (decoding.readVarUint(d) !== FeedMsg.bundle) return [decodeFeed(data)];
	const count = decoding.readVarUint(d);
	const messages: FeedMessage[] = [];
	for (let i = 0; i < count; i++) {
		if (d.pos >= d.arr.length) throw new Error('truncated feed bundle');
		messages.push(decodeFeed(decoding.readVarUint8Array(d)));
	}
	if (d.pos !== d.arr.length) throw new Error('truncated feed bundle or trailing bytes');
	return messages;
}

export function encodeFeed(m: FeedMessage): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, m.type);
	switch (m.type) {
		case FeedMsg.hello:
			encoding.writeVarUint(e, m.since);
			break;
		case FeedMsg.push:
			encoding.writeVarString(e, m.doc);
			encoding.writeVarUint8Array(e, m.update);
			break;
		case FeedMsg.change:
			encoding.writeVarUint(e, m.seq);
			encoding.writeVarString(e, m.doc);
			encoding.writeVarUint8Array(e, m.update);
			break;
		case FeedMsg.caughtUp:
			encoding.writeVarUint(e, m.seq);
			break;
		case FeedMsg.ack:
			encoding.writeVarString(e, m.doc);
			encoding.writeVarUint8Array(e, m.sv);
			break;
		case FeedMsg.refused:
			encoding.writeVarString(e, m.doc);
			encoding.writeVarUint(e, m.code);
			encoding.writeVarString(e, m.reason);
			encoding.writeVarUint8Array(e, m.state);
			break;
		case FeedMsg.removed:
			encoding.writeVarString(e, m.doc);
			break;
	}
	return encoding.toUint8Array(e);
}

/** Decodes one message; throws on an unknown type, a truncated frame, trailing bytes or an empty push. */
export function decodeFeed(data: Uint8Array): FeedMessage {
	const d = decoding.createDecoder(data);
	const type = decoding.readVarUint(d);
	let m: FeedMessage;
	switch (type) {
		case FeedMsg.hello:
			m = { type, since: decoding.readVarUint(d) };
			break;
		case FeedMsg.push:
			m = { type, doc: decoding.readVarString(d), update: decoding.readVarUint8Array(d) };
			// Zero bytes is no Yjs update at all (the empty one is two bytes: no structs, no deletions).
			if (m.update.length === 0) throw new Error('empty update');
			break;
		case FeedMsg.change:
			m = { type, seq: decoding.readVarUint(d), doc: decoding.readVarString(d), update: decoding.readVarUint8Array(d) };
			break;
		case FeedMsg.caughtUp:
			m = { type, seq: decoding.readVarUint(d) };
			break;
		case FeedMsg.ack:
			m = { type, doc: decoding.readVarString(d), sv: decoding.readVarUint8Array(d) };
			break;
		case FeedMsg.refused:
			m = {
				type,
				doc: decoding.readVarString(d),
				code: decoding.readVarUint(d),
				reason: decoding.readVarString(d),
				state: decoding.readVarUint8Array(d)
			};
			break;
		case FeedMsg.removed:
			m = { type, doc: decoding.readVarString(d) };
			break;
		default:
			throw new Error(`unknown feed message type ${type}`);
	}
	// lib0 reads past the end without throwing: a frame must be exactly one message.
	if (d.pos !== d.arr.length) throw new Error('truncated feed message or trailing bytes');
	return m;
}

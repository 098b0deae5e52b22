import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeFeed, encodeFeed } from './feed-protocol.ts';
import { FeedMsg } from './protocol.ts';

const push = (update: Uint8Array) => encodeFeed({ type: FeedMsg.push, doc: 'settings', update });

describe('decodeFeed', () => {
	it('reads back what encodeFeed writes', () => {
		const update = Y.encodeStateAsUpdate(new Y.Doc());
		expect(decodeFeed(push(update))).toEqual({ type: FeedMsg.push, doc: 'settings', update });
		expect(decodeFeed(encodeFeed({ type: FeedMsg.hello, since: 123_456 }))).toEqual({
			type: FeedMsg.hello,
			since: 123_456
		});
	});

	it('accepts the empty Yjs update (two bytes), which a device with nothing new may push', () => {
		expect(Y.encodeStateAsUpdate(new Y.Doc())).toEqual(new Uint8Array([0, 0]));
		expect(decodeFeed(push(new Uint8Array([0, 0]))).type).toBe(FeedMsg.push);
	});

	it.each([
		['an empty frame', new Uint8Array([])],
		['an unknown type', new Uint8Array([99, 0])],
		['a truncated varint', new Uint8Array([FeedMsg.hello, 0x80])],
		['a string past the end', new Uint8Array([FeedMsg.push, 40, 0x61])],
		['trailing bytes', new Uint8Array([...encodeFeed({ type: FeedMsg.hello, since: 1 }), 0])],
		['a push of zero bytes', push(new Uint8Array([]))]
	])('[§8] throws on %s', (_what, frame) => {
		expect(() => decodeFeed(frame)).toThrow();
	});
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeFeed, decodeFrame, encodeBundle, encodeFeed } from './feed-protocol.ts';
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

describe('decodeFrame', () => {
	const change = (seq: number) =>
		encodeFeed({ type: FeedMsg.change, seq, doc: `doc${seq}`, update: new Uint8Array([0, 0]) });
	const caughtUp = encodeFeed({ type: FeedMsg.caughtUp, seq: 3 });

	it('reads a bundle as its messages, in the order they were bundled', () => {
		const frame = encodeBundle([change(1), change(2), caughtUp]);
		expect(decodeFrame(frame).map((m) => (m.type === FeedMsg.change ? m.doc : m.type))).toEqual([
			'doc1',
			'doc2',
			FeedMsg.caughtUp
		]);
	});

	it('reads a frame of one message as that message', () => {
		expect(decodeFrame(caughtUp)).toEqual([{ type: FeedMsg.caughtUp, seq: 3 }]);
	});

	it('reads a frame that is a slice of a larger buffer (as ws hands them over) without reading past it', () => {
		const bundle = encodeBundle([change(1)]);
		const pool = new Uint8Array(bundle.length + 8);
		pool.set(bundle);
		// The count says two messages: the second would lie in the pool's spare bytes.
		const lying = pool.subarray(0, bundle.length);
		lying[1] = 2;
		expect(() => decodeFrame(lying)).toThrow();
	});

	it.each([
		['a bundle in a bundle', encodeBundle([encodeBundle([change(1)])])],
		[
			'a count larger than the messages',
			(() => {
				const f = encodeBundle([change(1)]);
				f[1] = 5;
				return f;
			})()
		],
		['a malformed message inside', encodeBundle([new Uint8Array([99, 0])])],
		['trailing bytes', new Uint8Array([...encodeBundle([change(1)]), 7])],
		['a message past the end', new Uint8Array([FeedMsg.bundle, 1, 50, FeedMsg.caughtUp])]
	])('[§8] throws on %s', (_what, frame) => {
		expect(() => decodeFrame(frame)).toThrow();
	});
});

/**
 * Connection.send: what one turn sends to a socket goes out in one write (the TCP socket is
 * corked at the first send and uncorked when the turn ends). Connection.keepAlive: a socket
 * that misses a ping is dead unless a backlog of ours is still being written to it.
 */
import { describe, expect, it } from 'vitest';
import { Connection, type SocketLike } from './connection.ts';

function socket() {
	const log: string[] = [];
	/** ws's write callbacks, called when a test says the bytes were written. */
	const pending: ((err?: Error) => void)[] = [];
	const ws = {
		readyState: 1,
		CONNECTING: 0,
		OPEN: 1,
		CLOSING: 2,
		binaryType: 'nodebuffer',
		send: (data: Uint8Array, cb?: (err?: Error) => void) => {
			log.push(`send ${data.length}`);
			if (cb) pending.push(cb);
		},
		close: () => {},
		terminate: () => {},
		ping: () => {},
		on() {
			return this;
		},
		_socket: { cork: () => log.push('cork'), uncork: () => log.push('uncork') }
	};
	const written = (n: number) => pending.splice(0, n).forEach((cb) => cb());
	return { ws: ws as unknown as SocketLike, log, written };
}

describe('Connection.send', () => {
	it('corks once per turn and uncorks when the turn ends', async () => {
		const { ws, log } = socket();
		const c = new Connection(ws, { id: 'u', role: 'staff' }, null, null, true);
		c.send(new Uint8Array(1));
		c.send(new Uint8Array(2));
		c.send(new Uint8Array(3));
		expect(log).toEqual(['cork', 'send 1', 'send 2', 'send 3']);
		await new Promise((r) => process.nextTick(r));
		expect(log.at(-1)).toBe('uncork');
		c.send(new Uint8Array(4)); // a later turn corks again
		await new Promise((r) => setImmediate(r));
		expect(log.slice(4)).toEqual(['uncork', 'cork', 'send 4', 'uncork']);
	});

	it('sends nothing and corks nothing on a socket that is not open', () => {
		const { ws, log } = socket();
		(ws as { readyState: number }).readyState = 3;
		new Connection(ws, { id: 'u', role: 'staff' }, null, null, true).send(new Uint8Array(1));
		expect(log).toEqual([]);
	});
});

describe('Connection.keepAlive', () => {
	const user = { id: 'u', role: 'staff' as const };

	it('an idle socket that misses a ping is dead at the next round; a pong keeps it', () => {
		const { ws, written } = socket();
		const c = new Connection(ws, user, null, null, false);
		c.send(new Uint8Array(1));
		written(1);
		expect(c.keepAlive()).toBe(true); // round 1: ping sent
		c.alive = true; // its pong
		expect(c.keepAlive()).toBe(true); // round 2
		// No pong, and nothing of ours waiting: dead, even though a message was written meanwhile.
		c.send(new Uint8Array(1));
		written(1);
		expect(c.keepAlive()).toBe(false);
	});

	it('a socket working through a backlog of ours is alive without a pong, dead once writing stalls', () => {
		const { ws, written } = socket();
		const c = new Connection(ws, user, null, null, false);
		for (let i = 0; i < 100; i++) c.send(new Uint8Array(1000));
		expect(c.keepAlive()).toBe(true); // round 1: the ping waits behind the backlog
		written(30);
		expect(c.keepAlive()).toBe(true); // no pong yet, but 30 messages went out
		written(30);
		expect(c.keepAlive()).toBe(true);
		// The peer is gone: the TCP buffer is full and nothing more is written.
		expect(c.keepAlive()).toBe(false);
	});

	it('a backlog written to the end does not keep a silent socket alive', () => {
		const { ws, written } = socket();
		const c = new Connection(ws, user, null, null, false);
		for (let i = 0; i < 10; i++) c.send(new Uint8Array(10));
		expect(c.keepAlive()).toBe(true);
		written(10); // all of it out, nothing queued
		expect(c.keepAlive()).toBe(false);
	});
});

/**
 * Connection.send: what one turn sends to a socket goes out in one write (the TCP socket is
 * corked at the first send and uncorked when the turn ends).
 */
import { describe, expect, it } from 'vitest';
import { Connection, type SocketLike } from './connection.ts';

function socket() {
	const log: string[] = [];
	const ws = {
		readyState: 1,
		CONNECTING: 0,
		OPEN: 1,
		CLOSING: 2,
		binaryType: 'nodebuffer',
		send: (data: Uint8Array) => log.push(`send ${data.length}`),
		close: () => {},
		terminate: () => {},
		ping: () => {},
		on() {
			return this;
		},
		_socket: { cork: () => log.push('cork'), uncork: () => log.push('uncork') }
	};
	return { ws: ws as unknown as SocketLike, log };
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

/**
 * A fresh device's catch-up on the wire (issue #15 item 3): a background-sync socket from Node
 * (ws, as a browser would open it) says hello from 0 and reads until caughtUp, once offering
 * permessage-deflate (what Chromium offers) and once not. Counts the bytes the TCP socket
 * read (frames, headers and all), the time, and the server's CPU for each, so the cost of
 * compressing is measured beside what it saves. The client only decodes the frame type.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { decodeFeed, encodeFeed } from '../src/lib/schema/feed-protocol.ts';
import { FeedMsg, FEED_PATH } from '../src/lib/schema/protocol.ts';
import { SESSION_COOKIE } from '../server/sessions.ts';
import { mb, secs, type Row } from './harness.ts';

export interface CatchUp {
	bytes: number;
	frames: number;
	ms: number;
	serverCpuMs: number;
}

export async function signIn(base: string, account: { email: string; password: string }): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(account).toString(),
		redirect: 'manual'
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	if (res.status !== 303 || !cookie) throw new Error(`bench: sign-in failed (${res.status})`);
	return cookie.split(';')[0];
}

export async function catchUp(
	base: string,
	cookie: string,
	deflate: boolean,
	serverCpuMs: () => number
): Promise<CatchUp> {
	const cpu0 = serverCpuMs();
	const t0 = performance.now();
	const ws = new WebSocket(base.replace(/^http/, 'ws') + FEED_PATH, {
		headers: { cookie, origin: base },
		perMessageDeflate: deflate
	});
	let frames = 0;
	await new Promise<void>((resolve, reject) => {
		ws.once('error', reject);
		ws.once('open', () => ws.send(encodeFeed({ type: FeedMsg.hello, since: 0 })));
		ws.on('message', (data: Buffer) => {
			frames++;
			if (decodeFeed(new Uint8Array(data)).type === FeedMsg.caughtUp) resolve();
		});
	});
	const ms = performance.now() - t0;
	const bytes = (ws as unknown as { _socket: Socket })._socket.bytesRead;
	ws.close();
	return { bytes, frames, ms, serverCpuMs: serverCpuMs() - cpu0 };
}

/** Both catch-ups against a running server holding `customers` customers. */
export async function feedWireRows(
	base: string,
	account: { email: string; password: string },
	customers: number,
	serverCpuMs: () => number,
	targetMb: number
): Promise<Row[]> {
	const cookie = await signIn(base, account);
	await catchUp(base, cookie, false, serverCpuMs); // warm-up: every document read once, as for the others
	const plain = await catchUp(base, cookie, false, serverCpuMs);
	const packed = await catchUp(base, cookie, true, serverCpuMs);
	const per = (b: number) => `${Math.round(b / customers)} B per customer`;
	return [
		{
			measure: `Fresh-device catch-up on the wire (${customers.toLocaleString('en')} customers, permessage-deflate)`,
			value: mb(packed.bytes),
			target: `≤ ${targetMb} MB`,
			met: packed.bytes <= targetMb * 2 ** 20 ? 'yes' : '**no**',
			notes:
				`TCP bytes read by a Node feed client (ws) from the upgrade to caughtUp, ${packed.frames.toLocaleString('en')} frames, ` +
				`${per(packed.bytes)}, ${secs(packed.ms)}, server CPU ${secs(packed.serverCpuMs)}; the same catch-up without ` +
				`permessage-deflate: ${mb(plain.bytes)} (${per(plain.bytes)}), ${secs(plain.ms)}, server CPU ${secs(plain.serverCpuMs)} ` +
				`— compression saves ${Math.round((1 - packed.bytes / plain.bytes) * 100)} % of the bytes for ` +
				`${Math.round(packed.serverCpuMs - plain.serverCpuMs)} ms of server CPU (level 1, context kept between frames)`
		}
	];
}

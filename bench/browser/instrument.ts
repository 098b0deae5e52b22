/**
 * Extra instrumentation for the second fresh device only (its sync time is not the reported
 * one): when the /feed socket opened and its messages arrived, and how many IndexedDB
 * transactions the page started. Bundled by bench/run.ts into an init script.
 */

export interface Instrumentation {
	feedOpen: number | null;
	firstMessage: number | null;
	lastMessage: number | null;
	messages: number;
	transactions: { readonly: number; readwrite: number; versionchange: number };
}

declare global {
	interface Window {
		__fbInstrument: Instrumentation;
	}
}

if (!window.__fbInstrument) {
	const data: Instrumentation = {
		feedOpen: null,
		firstMessage: null,
		lastMessage: null,
		messages: 0,
		transactions: { readonly: 0, readwrite: 0, versionchange: 0 }
	};
	window.__fbInstrument = data;

	const NativeWebSocket = window.WebSocket;
	class CountingWebSocket extends NativeWebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			if (new URL(String(url), location.href).pathname !== '/feed') return;
			this.addEventListener('open', () => (data.feedOpen = Date.now()));
			this.addEventListener('message', () => {
				const now = Date.now();
				data.firstMessage ??= now;
				data.lastMessage = now;
				data.messages++;
			});
		}
	}
	window.WebSocket = CountingWebSocket;

	const transaction = IDBDatabase.prototype.transaction;
	IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
		const mode = args[1] ?? 'readonly';
		data.transactions[mode] = (data.transactions[mode] ?? 0) + 1;
		return transaction.apply(this, args);
	} as IDBDatabase['transaction'];
}

/**
 * WAL checkpoints off the event loop (issue #15, "find the pauses"). SQLite checkpoints the
 * write-ahead log into the database file on the commit that grows it past 1,000 pages, in the
 * connection that commits — here the one thread that also answers every socket — and with
 * synchronous=NORMAL that checkpoint is where the fsyncs are: a commit now and then took tens
 * of milliseconds, every edit behind it waited. The server's connection does not checkpoint
 * (wal_autocheckpoint = 0); a worker thread with a connection of its own does, PASSIVE (it
 * never waits for, nor blocks, the writer), every `intervalMs`. The log restarts from its
 * beginning once a checkpoint caught up with it, so it stays about one interval of writes long.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.ts';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
	try {
		db.pragma('wal_checkpoint(PASSIVE)');
		parentPort.postMessage('checkpointed');
	} catch (e) {
		parentPort.postMessage('failed: ' + (e && e.message));
	}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
	if (m !== 'stop') return;
	clearInterval(timer);
	db.close();
	parentPort.close();
});
`;

export interface Checkpointer {
	/** Checkpoints done (tests). */
	readonly count: number;
	stop(): Promise<void>;
}

/** Moves the checkpoints of `db` (a file in WAL mode) to a worker thread. */
export function startCheckpointer(db: Db, intervalMs = 1000): Checkpointer {
	db.pragma('wal_autocheckpoint = 0');
	const worker = new Worker(SOURCE, {
		eval: true,
		workerData: { file: db.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs }
	});
	worker.unref();
	let count = 0;
	let failures = 0;
	worker.on('message', (m: string) => {
		if (m === 'checkpointed') count++;
		else if (failures++ === 0) console.error(`sqlite: a WAL checkpoint failed (retried): ${m}`);
	});
	worker.on('error', (e) => console.error('sqlite: the checkpoint thread stopped:', e));
	const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
	let stopped: Promise<void> | null = null;
	return {
		get count() {
			return count;
		},
		stop() {
			stopped ??= (async () => {
				worker.postMessage('stop');
				const timer = setTimeout(() => void worker.terminate(), 2000);
				await exited;
				clearTimeout(timer);
				// The server's connection checkpoints what is left as it closes.
			})();
			return stopped;
		}
	};
}

/**
 * Runs seeds on worker threads, one seed at a time per thread, so that a machine's cores share
 * the work (each thread has its own Yjs, its own seeded randomness and its own server and
 * SQLite file). Used by tests/simulation and bench/convergence.ts.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { RunOptions, RunReport } from './run.ts';

/** What crosses to a worker: the options without the trace callback. */
export type SeedJob = Omit<RunOptions, 'trace'>;

interface Waiting {
	job: SeedJob;
	resolve: (r: RunReport) => void;
	reject: (e: Error) => void;
}

export class SeedPool {
	private readonly idle: Worker[] = [];
	private readonly busy = new Map<Worker, Waiting>();
	private readonly queue: Waiting[] = [];

	constructor(size: number) {
		// A worker does not inherit tsx's loader: it registers it, then loads this file.
		const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
		for (let i = 0; i < size; i++) {
			const worker = new Worker(boot, { eval: true, workerData: { seedPool: true } });
			worker.on('message', (answer: RunReport | { error: string }) => {
				const w = this.busy.get(worker)!;
				this.busy.delete(worker);
				if ('error' in answer) w.reject(new Error(`seed ${w.job.seed}: ${answer.error}`));
				else w.resolve(answer);
				this.next(worker);
			});
			worker.on('error', (e) => {
				this.busy.get(worker)?.reject(e);
				this.busy.delete(worker);
			});
			this.idle.push(worker);
		}
	}

	run(job: SeedJob): Promise<RunReport> {
		return new Promise((resolve, reject) => {
			this.queue.push({ job, resolve, reject });
			const worker = this.idle.pop();
			if (worker) this.next(worker);
		});
	}

	private next(worker: Worker): void {
		const waiting = this.queue.shift();
		if (!waiting) return void this.idle.push(worker);
		this.busy.set(worker, waiting);
		worker.postMessage(waiting.job);
	}

	async close(): Promise<void> {
		await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
	}
}

// In a pool's worker (not any worker thread: a test runner may run tests in one).
if (parentPort && (workerData as { seedPool?: boolean } | null)?.seedPool) {
	const port = parentPort;
	// The seeded randomness must be in place before yjs loads (see random.ts).
	await import('./random.ts');
	const { runSeed } = await import('./run.ts');
	port.on('message', (job: SeedJob) => {
		runSeed(job).then(
			(report) => port.postMessage(report),
			(e: unknown) => port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
		);
	});
}

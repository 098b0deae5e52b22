/**
 * The seeded convergence runs of tests/simulation at scale: the suite runs seeds 1–200, this
 * runs as many as asked (the same harness, the same seeds first), spread over worker threads,
 * and prints a markdown table.
 *
 *   node --import tsx bench/convergence.ts --seeds=1000 [--from=1] [--edits=100] [--workers=1]
 *
 * --edits is per device (the suite's 100: 500 edits per seed). --workers runs seeds on that many
 * threads; on the 2-vCPU VM this was measured on, two busy threads each run at half speed (the
 * vCPUs give about one core's throughput), so one worker is the default and the fastest there.
 *
 * Exits 1 when any seed fails (its number is printed: SIM_SEED=<n> replays it in the suite).
 * `convergenceRows` gives the same figures as rows of bench/run.ts's table.
 */
import { fileURLToPath } from 'node:url';
import { SeedPool } from '../tests/simulation/harness/pool.ts';
import { EDITS_PER_DEVICE, problems, type RunReport } from '../tests/simulation/harness/run.ts';
import type { Row } from './harness.ts';

export interface ConvergenceOptions {
	seeds: number;
	from?: number;
	workers?: number;
	editsPerDevice?: number;
	log?: (line: string) => void;
}

export interface ConvergenceSummary {
	seeds: number;
	edits: number;
	bad: number;
	refusals: number;
	notSavedChanges: number;
	acknowledged: number;
	disconnects: number;
	messages: number;
	commits: number;
	leaks: number;
	uncommitted: number;
	/** Refusals of pushes already refused, changes acknowledged after they went to "not saved". */
	staleRefusals: number;
	savedLate: number;
	/** Changes kept "not saved" that the server had committed all the same. */
	savedButNotSaved: number;
	/** Records left with no manager (concurrent removals). */
	noManagers: number;
	failed: { seed: number; problems: string[] }[];
	wallMs: number;
	seedMs: number[];
}

/** Runs the seeds on worker threads (tests/simulation/harness/pool.ts) and sums their reports. */
export async function runConvergence(opts: ConvergenceOptions): Promise<ConvergenceSummary> {
	const from = opts.from ?? 1;
	const pool = new SeedPool(Math.max(1, Math.min(opts.workers ?? 1, opts.seeds)));
	const t0 = performance.now();
	let reports: RunReport[];
	try {
		reports = await Promise.all(
			Array.from({ length: opts.seeds }, async (_, i) => {
				const r = await pool.run({ seed: from + i, editsPerDevice: opts.editsPerDevice ?? EDITS_PER_DEVICE });
				const bad = problems(r);
				opts.log?.(`seed ${r.seed}: ${bad.length === 0 ? 'ok' : `FAILED (${bad.length})`} in ${r.ms} ms`);
				return r;
			})
		);
	} finally {
		await pool.close();
	}
	const sum = (f: (r: RunReport) => number) => reports.reduce((n, r) => n + f(r), 0);
	return {
		seeds: reports.length,
		edits: sum((r) => r.edits.valid + r.edits.bad + r.edits.create),
		bad: sum((r) => r.edits.bad),
		refusals: sum((r) => r.notSaved),
		notSavedChanges: sum((r) => r.notSavedChanges),
		acknowledged: sum((r) => r.acknowledged),
		disconnects: sum((r) => r.disconnects),
		messages: sum((r) => r.deliveries),
		commits: sum((r) => r.commits),
		leaks: sum((r) => r.leaks.length),
		uncommitted: sum((r) => r.uncommitted.length),
		staleRefusals: sum((r) => r.staleRefusals),
		savedLate: sum((r) => r.savedLate),
		savedButNotSaved: sum((r) => r.savedButNotSaved),
		noManagers: sum((r) => r.noManagers),
		failed: reports
			.map((r) => ({ seed: r.seed, problems: problems(r) }))
			.filter((f) => f.problems.length > 0)
			.sort((a, b) => a.seed - b.seed),
		wallMs: performance.now() - t0,
		seedMs: reports.map((r) => r.ms)
	};
}

const n = (v: number) => v.toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The figures as rows of bench/run.ts's table. */
export async function convergenceRows(opts: ConvergenceOptions): Promise<Row[]> {
	const r = await runConvergence(opts);
	const ok = r.failed.length === 0 && r.leaks === 0 && r.seeds === opts.seeds;
	return [
		{
			measure: 'Seeded convergence (in process, simulated network)',
			value: `${r.seeds - r.failed.length} of ${n(opts.seeds)} seeds converged; ${r.leaks} leaks`,
			target: 'every seed; 0 leaks',
			met: ok ? 'yes' : '**no**',
			notes:
				`5 devices × ${opts.editsPerDevice ?? EDITS_PER_DEVICE} edits per seed (tests/simulation): ${n(r.edits)} edits (${n(r.bad)} made to be ` +
				`refused), ${n(r.refusals)} refusals moving ${n(r.notSavedChanges)} changes to "not saved", ${n(r.acknowledged)} ` +
				`acknowledged, ${n(r.disconnects)} dropped connections, ${n(r.messages)} messages delivered, ${n(r.commits)} commits; ` +
				`${n(r.uncommitted)} sends of content not yet committed; ${s(r.wallMs)} on ${Math.min(opts.workers ?? 1, opts.seeds)} ` +
				`workers (median seed ${s(median(r.seedMs))})` +
				(r.failed.length > 0 ? `; failed seeds: ${r.failed.map((f) => f.seed).join(', ')}` : '')
		}
	];
}

function median(xs: number[]): number {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

function table(r: ConvergenceSummary, opts: ConvergenceOptions): string {
	const rows = [
		['seeds', `${n(r.seeds)} (${opts.from ?? 1}–${(opts.from ?? 1) + opts.seeds - 1})`],
		['devices × edits per seed', `5 × ${opts.editsPerDevice ?? EDITS_PER_DEVICE}`],
		['edits', `${n(r.edits)} (${n(r.bad)} made to be refused)`],
		['refusals (changes kept "not saved")', `${n(r.refusals)} (${n(r.notSavedChanges)} changes)`],
		['acknowledged changes', n(r.acknowledged)],
		['dropped connections', n(r.disconnects)],
		['messages delivered / commits', `${n(r.messages)} / ${n(r.commits)}`],
		['violations: messages to a user who may not read the record', n(r.leaks)],
		['failed seeds', r.failed.length === 0 ? '0' : r.failed.map((f) => f.seed).join(', ')],
		['sends of content not yet committed (reported, not judged)', n(r.uncommitted)],
		[
			'device answers beyond background-sync.ts today',
			`${n(r.staleRefusals)} refusals of pushes already refused, ${n(r.savedLate)} changes acknowledged after going to "not saved"`
		],
		['changes kept "not saved" though the server committed them', n(r.savedButNotSaved)],
		['records left with no manager (concurrent removals)', n(r.noManagers)],
		['time', `${s(r.wallMs)} wall, median seed ${s(median(r.seedMs))}, slowest ${s(Math.max(...r.seedMs))}`]
	];
	return ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const args = Object.fromEntries(
		process.argv.slice(2).map((a) => {
			const [k, v] = a.replace(/^--/, '').split('=');
			return [k, v ?? 'true'];
		})
	);
	const opts: ConvergenceOptions = {
		seeds: Number(args.seeds ?? 200),
		from: Number(args.from ?? 1),
		workers: args.workers ? Number(args.workers) : undefined,
		editsPerDevice: Number(args.edits ?? EDITS_PER_DEVICE),
		log: (line) => process.stderr.write(`${line}\n`)
	};
	const r = await runConvergence(opts);
	console.log(table(r, opts));
	for (const f of r.failed)
		console.log(`\nseed ${f.seed} (SIM_SEED=${f.seed} replays it):\n- ${f.problems.join('\n- ')}`);
	process.exit(r.failed.length === 0 ? 0 : 1);
}

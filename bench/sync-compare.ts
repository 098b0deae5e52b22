/**
 * Fieldbook's sync server against the reference y-websocket server (@y/websocket-server 0.1.1,
 * in memory, no auth, no persistence), each in its own process on loopback, in the same run with
 * the same edits (bench/sync-load.ts), and both against the ceiling (bench/ceiling.ts).
 * Fieldbook runs as shipped: a staff user's session, permission checks, schema validation,
 * SQLite persistence (WAL, group commit, projection) and acknowledgements after commit.
 *
 * Every run starts both servers fresh. The full bench runs each pair twice in the order
 * reference, Fieldbook, Fieldbook, reference (the machine may be shared: drift hits both alike)
 * and reports each server's best run, the one least disturbed by other load (the highest
 * throughput, the lowest CPU per edit, the lowest p95), with every run in the notes; RSS is
 * the mean.
 */
import os from 'node:os';
import { measureCeiling, type Ceiling } from './ceiling.ts';
import { mb, secs, yes, type Row } from './harness.ts';
import { FieldbookTemplate, startReference, type BenchServer } from './servers.ts';
import { runLoad, type LoadResult, type PhaseResult } from './sync-load.ts';
import { oneDocument, Script, spread, type Layout } from './sync-script.ts';

export interface SyncCompareOptions {
	quick: boolean;
	log: (line: string) => void;
}

const TARGET = { ratio: 1, p95: 30 };

interface Load {
	layout: Layout;
	/** Edits in flight per client in the closed loop. */
	window: number;
	/** Open loop: edits per second per client. */
	ratePerClient: number;
	/** A guess at the most edits per second a server reaches (how many edits to make ahead). */
	peakGuess: number;
}

const LOADS: Load[] = [
	{ layout: oneDocument(50), window: 1, ratePerClient: 5, peakGuess: 4000 },
	{ layout: spread(50, 1000), window: 4, ratePerClient: 20, peakGuess: 16_000 }
];

type Name = 'Fieldbook' | 'reference';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const int = (v: number) => Math.round(v).toLocaleString('en');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const lat = (p: PhaseResult['latency']) => `${f1(p.p50)} / ${f1(p.p95)} / ${f1(p.p99)} ms`;

export async function syncCompare(opts: SyncCompareOptions): Promise<{ rows: Row[]; notes: string[] }> {
	const phases = opts.quick
		? { warmupMs: 500, closedMs: 2500, openMs: 2500 }
		: { warmupMs: 2000, closedMs: 8000, openMs: 8000 };
	const reps = opts.quick ? 1 : 2;
	const rows: Row[] = [];
	const notes: string[] = [];
	const load0 = os.loadavg()[0];
	const template = await FieldbookTemplate.create();
	try {
		for (const [li, load] of LOADS.entries()) {
			const { layout } = load;
			const script = new Script(layout, template.authorId);
			const open = (layout.clients * load.ratePerClient * phases.openMs) / 1000;
			script.prepare((load.peakGuess * (phases.warmupMs + phases.closedMs)) / 1000 + open);
			const runs: Record<Name, LoadResult[]> = { Fieldbook: [], reference: [] };
			for (let rep = 0; rep < reps; rep++) {
				const order: Name[] = (rep + li) % 2 === 0 ? ['reference', 'Fieldbook'] : ['Fieldbook', 'reference'];
				for (const name of order) {
					const server: BenchServer = name === 'Fieldbook' ? await template.start() : await startReference();
					try {
						const r = await runLoad(server, script, {
							...phases,
							window: load.window,
							ratePerClient: load.ratePerClient
						});
						runs[name].push(r);
						opts.log(
							`${layout.name}, ${name}: ${int(r.closed.editsPerSec)} edits/s, ${int(r.closed.cpuPerEditUs)} µs CPU/edit; ` +
								`open loop ${lat(r.open.latency)}; RSS ${mb(r.rss)} (set-up: created in ${secs(r.createMs)}, ` +
								`${r.sockets} sockets connected in ${secs(r.connectMs)})`
						);
					} finally {
						await server.stop();
					}
				}
			}
			const t0 = performance.now();
			const ceiling = measureCeiling(script, { updates: opts.quick ? 20_000 : 50_000 });
			opts.log(
				`${layout.name}: ceiling ${int(ceiling.perSec)} updates/s (measured in ${secs(performance.now() - t0)})`
			);
			rows.push(...layoutRows(load, runs, ceiling, phases));
		}
	} finally {
		template.dispose();
	}
	notes.push(
		'Sync comparison: the clients are raw y-protocols sockets (tests/integration/helpers/raw-sync.ts), all in the ' +
			'bench process, which only reads the header of each relayed update (the client id and clock that tell which ' +
			'edit it is) — they never apply it, so the client side stays cheap. Each edit is one field plus updatedBy/updatedAt ' +
			'(updateCustomer, ~100 bytes), made once and replayed byte for byte to both servers; latency is from the send to ' +
			'its arrival at another client on the same document. Fieldbook: a staff user (not an admin), sockets with `?ack=1` ' +
			'as the app opens them, validation, permission checks, SQLite (WAL, synchronous=NORMAL, group commit) and the ' +
			'customers/contacts projection, under `node --import tsx` as `npm start` runs it. Reference: @y/websocket-server 0.1.1, ' +
			'its own `y-websocket` bin under plain node (in memory, no auth, no persistence; it brings its own ws 6.2). ' +
			'Server CPU time (user + system) and RSS from /proc. ' +
			`Load average (1 min) before the comparison ${load0.toFixed(2)}, after it ${os.loadavg()[0].toFixed(2)}.`
	);
	return { rows, notes };
}

function layoutRows(
	load: Load,
	runs: Record<Name, LoadResult[]>,
	ceiling: Ceiling,
	phases: { closedMs: number; openMs: number }
): Row[] {
	const { layout } = load;
	const fb = runs.Fieldbook;
	const ref = runs.reference;
	const avg = (rs: LoadResult[], pick: (r: LoadResult) => number) => mean(rs.map(pick));
	/** Each run's figure, when there were several: "; runs: Fieldbook 1, 2; reference 3, 4". */
	const runsOf = (pick: (r: LoadResult) => number) =>
		fb.length > 1 || ref.length > 1
			? `; runs: Fieldbook ${fb.map((r) => int(pick(r))).join(', ')}, reference ${ref.map((r) => int(pick(r))).join(', ')}`
			: '';
	// The machine may be shared: each figure is the server's best run (the one least disturbed).
	const best = (rs: LoadResult[], score: (r: LoadResult) => number) =>
		rs.reduce((a, b) => (score(b) > score(a) ? b : a));
	const fastest = (rs: LoadResult[]) => best(rs, (r) => r.closed.editsPerSec);
	const thr = (rs: LoadResult[]) => fastest(rs).closed.editsPerSec;
	const cpu = (rs: LoadResult[], phase: 'closed' | 'open') =>
		best(rs, (r) => -r[phase].cpuPerEditUs)[phase].cpuPerEditUs;
	const quickest = (rs: LoadResult[], phase: 'closed' | 'open') =>
		best(rs, (r) => -r[phase].latency.p95)[phase].latency;
	const ratio = thr(fb) / thr(ref);
	const cpuRatio = cpu(fb, 'closed') / cpu(ref, 'closed');
	const fbOpen = quickest(fb, 'open');
	const receivers = layout.sockets.length / layout.docs - 1;
	const totalRate = layout.clients * load.ratePerClient;
	const where = layout.name;
	return [
		{
			measure: `Sync throughput, ${where}`,
			value: `${int(thr(fb))} edits/s (${ratio.toFixed(2)}× the reference)`,
			peer: `${int(thr(ref))} edits/s`,
			target: `≥ ${TARGET.ratio.toFixed(1)}× the reference`,
			met: yes(ratio >= TARGET.ratio),
			notes:
				(fb.length > 1 ? `each server's best of ${fb.length} runs; ` : '') +
				`closed loop for ${phases.closedMs / 1000} s after a warm-up: each client keeps ${load.window} edit${load.window > 1 ? 's' : ''} in flight ` +
				`and sends the next as soon as one is visible to all ${receivers} other socket${receivers > 1 ? 's' : ''} on its document ` +
				`(${layout.sockets.length.toLocaleString('en')} sockets); in those runs: relayed updates received/s Fieldbook ${int(fastest(fb).closed.deliveriesPerSec)}, ` +
				`reference ${int(fastest(ref).closed.deliveriesPerSec)}; server CPU used Fieldbook ${f2(fastest(fb).closed.serverCores)} cores, ` +
				`reference ${f2(fastest(ref).closed.serverCores)}; the client process ${f2(fastest(fb).closed.clientCores)} / ` +
				`${f2(fastest(ref).closed.clientCores)} cores${runsOf((r) => r.closed.editsPerSec)}`
		},
		{
			measure: `Edit → visible latency p50 / p95 / p99, ${where}`,
			value: lat(fbOpen),
			peer: lat(quickest(ref, 'open')),
			target: `p95 ≤ ${TARGET.p95} ms`,
			met: yes(fbOpen.p95 <= TARGET.p95),
			notes:
				`open loop: ${load.ratePerClient} edits/s per client (${int(totalRate)} edits/s in all) for ${phases.openMs / 1000} s, ` +
				`every arrival at another client counted (${int(fb[0].open.latency.samples)} per run); at saturation (the closed loop above): ` +
				`Fieldbook ${lat(fastest(fb).closed.latency)}, reference ${lat(fastest(ref).closed.latency)}` +
				(fb.length > 1
					? `; p95 per run: Fieldbook ${fb.map((r) => f1(r.open.latency.p95)).join(', ')} ms, ` +
						`reference ${ref.map((r) => f1(r.open.latency.p95)).join(', ')} ms`
					: '')
		},
		{
			measure: `Server CPU per accepted edit, ${where}`,
			value: `${int(cpu(fb, 'closed'))} µs (${cpuRatio.toFixed(2)}× the reference)`,
			peer: `${int(cpu(ref, 'closed'))} µs`,
			target: '< the reference',
			met: yes(cpuRatio < 1),
			notes:
				`user + system time of the server process over the closed loop ÷ edits made visible; at the open-loop load: ` +
				`Fieldbook ${int(cpu(fb, 'open'))} µs, reference ${int(cpu(ref, 'open'))} µs${runsOf((r) => r.closed.cpuPerEditUs)}`
		},
		{
			measure: `Server RSS, ${where}`,
			value: mb(avg(fb, (r) => r.rss)),
			peer: mb(avg(ref, (r) => r.rss)),
			target: '—',
			met: '—',
			notes:
				`VmRSS after both loops (mean of the runs) with ${layout.docs.toLocaleString('en')} document${layout.docs > 1 ? 's' : ''} loaded; before the sockets connected: ` +
				`Fieldbook ${mb(avg(fb, (r) => r.rssIdle))} (the SvelteKit app is loaded too), reference ${mb(avg(ref, (r) => r.rssIdle))}; ` +
				`peak (VmHWM) ${mb(avg(fb, (r) => r.peak))} vs ${mb(avg(ref, (r) => r.peak))}`
		},
		{
			measure: `Ceiling, ${where}: Y.applyUpdate + SQLite append in one process, no network`,
			value: `${int(ceiling.perSec)} updates/s; Fieldbook reaches ${pct(thr(fb) / ceiling.perSec)} of it`,
			peer: `reaches ${pct(thr(ref) / ceiling.perSec)} (and stores nothing)`,
			target: '—',
			met: '—',
			notes:
				`the same ${int(ceiling.updates)} updates (creations, then round-robin over the writers) applied to one Y.Doc per document ` +
				`and appended with the server's SqliteDocStore (its schema and pragmas) in transactions of ${ceiling.batch}; ` +
				`Y.applyUpdate alone ${int(ceiling.applyPerSec)}/s, the SQLite append alone ${int(ceiling.appendPerSec)}/s` +
				(receivers > 1
					? `; the ceiling relays nothing, while each edit here goes out to ${receivers} sockets, which is where the servers' time goes`
					: '')
		}
	];
}

const f2 = (v: number) => v.toFixed(2);
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;

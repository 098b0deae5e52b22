/**
 * [§5][§6] Seeded random convergence (issue #4): the real sync server in process (SQLite store,
 * access index, projection, e-mail claims, history) and five devices — an admin, three staff,
 * and a second device of one of them — making 500 edits per seed (100 each) while the network
 * drops and reorders messages and managers change who may read what (harness/run.ts). After
 * every seed: every device holds exactly the records its user may read, equal to the server's
 * state; every acknowledged change is in it; the server's invariants hold; and no message about
 * a record ever went to a user who could not read it when it was sent.
 *
 * Replay one seed, and tell its story:
 *   SIM_SEED=17 npx vitest run tests/simulation
 *   SIM_SEED=17 SIM_TRACE=1 npx vitest run tests/simulation
 * More seeds: node --import tsx bench/convergence.ts --seeds=1000
 */
import './harness/random.ts'; // first: it seeds the client ids of every Y.Doc (see there)
import { afterAll, describe, expect, it } from 'vitest';
import { serverTurns } from './harness/network.ts';
import { EDITS_PER_DEVICE, problems, runSeed } from './harness/run.ts';

const SEEDS = 200;
const seeds = process.env.SIM_SEED ? [Number(process.env.SIM_SEED)] : Array.from({ length: SEEDS }, (_, i) => i + 1);

describe(`[§5][§6] 5 devices × ${EDITS_PER_DEVICE} edits with drops, reordering and access changes, in process`, () => {
	it.each(seeds)('seed %i: devices converge on what they may read; nothing leaks, nothing is lost', async (seed) => {
		const story: string[] = [];
		const report = await runSeed({ seed, trace: process.env.SIM_TRACE ? (line) => story.push(line) : undefined });
		if (story.length > 0) console.log(story.join('\n'));
		expect(problems(report), `replay with SIM_SEED=${seed}`).toEqual([]);
		// The run did what it is meant to: edits by everyone, most of them acknowledged.
		expect(report.edits.valid).toBeGreaterThan(EDITS_PER_DEVICE * 3);
		expect(report.acknowledged).toBeGreaterThan(EDITS_PER_DEVICE * 2);
		expect(report.documents).toBeGreaterThan(0);
	});

	// Every frame handled and every commit flushed is one stretch of the server's event loop
	// that other clients wait behind (issue #9: honest clients' lag p99 < 100 ms).
	afterAll(() => {
		const sorted = [...serverTurns].sort((a, b) => a - b);
		const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
		console.log(
			`simulation: ${sorted.length.toLocaleString('en')} server turns, p50 ${at(0.5).toFixed(2)} ms, ` +
				`p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(1)} ms`
		);
		expect(at(0.99)).toBeLessThan(100);
	});
});

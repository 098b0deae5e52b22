/**
 * The seeded convergence suite over a range of seeds (tests/simulation/convergence*.test.ts):
 * one test per seed, and the server's turns of the whole range bounded at p99 < 100 ms. The
 * 200 seeds of `npm test` are split over two files so that vitest can hand them to both of its
 * workers: in one file they were the single longest file of the integration step, and the other
 * worker sat idle while it finished. Each file bounds the p99 of its own range (both under
 * 100 ms means the p99 of all 200 is too).
 *
 * Its importer imports ./random.ts first (it seeds the client ids of every Y.Doc, see there).
 * SIM_SEED=n runs that seed alone, in the file whose range holds it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { serverTurns } from './network.ts';
import { EDITS_PER_DEVICE, problems, runSeed } from './run.ts';

/** Seeds `from` to `to` (inclusive). */
export function describeSeeds(from: number, to: number): void {
	const replay = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : null;
	const seeds =
		replay === null
			? Array.from({ length: to - from + 1 }, (_, i) => from + i)
			: [replay].filter((s) => s >= from && s <= to);

	describe.runIf(seeds.length > 0)(
		`[§5][§6] 5 devices × ${EDITS_PER_DEVICE} edits with drops, reordering and access changes, in process`,
		() => {
			it.each(seeds)(
				'seed %i: devices converge on what they may read; nothing leaks, nothing is lost',
				async (seed) => {
					const story: string[] = [];
					const report = await runSeed({ seed, trace: process.env.SIM_TRACE ? (line) => story.push(line) : undefined });
					if (story.length > 0) console.log(story.join('\n'));
					expect(problems(report), `replay with SIM_SEED=${seed}`).toEqual([]);
					// The run did what it is meant to: edits by everyone, most of them acknowledged.
					expect(report.edits.valid).toBeGreaterThan(EDITS_PER_DEVICE * 3);
					expect(report.acknowledged).toBeGreaterThan(EDITS_PER_DEVICE * 2);
					expect(report.documents).toBeGreaterThan(0);
				}
			);

			// Every frame handled and every commit flushed is one stretch of the server's event loop
			// that other clients wait behind (issue #9: honest clients' lag p99 < 100 ms).
			afterAll(() => {
				const sorted = [...serverTurns].sort((a, b) => a - b);
				const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
				console.log(
					`simulation (seeds ${from}–${to}): ${sorted.length.toLocaleString('en')} server turns, p50 ${at(0.5).toFixed(2)} ms, ` +
						`p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(1)} ms`
				);
				expect(at(0.99)).toBeLessThan(100);
			});
		}
	);
}

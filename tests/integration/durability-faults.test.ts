/**
 * Durability under faults (issue #5): the server process is killed with SIGKILL at random
 * moments while 50 devices push offline edits and keep editing (tests/integration/helpers/
 * fault-trials.ts), then restarted on the same SQLite file. Correctness only: no acknowledged
 * change lost, the file intact, every device converged on what the file holds. Timings are
 * reported by `npm run bench`, never asserted here.
 */
import { expect, it } from 'vitest';
import { runFaultTrials } from './helpers/fault-trials.ts';

it('loses no acknowledged change across 3 kill -9 trials, and every device converges on the stored state', async () => {
	const report = await runFaultTrials({ trials: 3, seed: 20_261_125 });
	for (const t of report.trials) {
		expect(t.converged, `trial ${t.trial}: devices converged after the restart`).toBe(true);
		expect(t.integrity, `trial ${t.trial}: integrity_check after the kill`).toBe('ok');
		expect(t.lost, `trial ${t.trial}: acknowledged edits missing after the kill`).toBe(0);
		expect(t.missing, `trial ${t.trial}: edits missing from the file after convergence`).toBe(0);
		expect(t.differing, `trial ${t.trial}: documents that differ between devices and the file`).toBe(0);
	}
	expect(report.trials).toHaveLength(3);
	// The kills fell among real traffic: some edits were acknowledged in the trials.
	expect(report.trials.reduce((s, t) => s + t.acked, 0)).toBeGreaterThan(0);
	expect(report.finalIntegrity).toBe('ok');
	expect(report.finalMissing).toBe(0);
	expect(report.finalDiffering).toBe(0);
}, 120_000);

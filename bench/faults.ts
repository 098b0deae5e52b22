/**
 * Durability under faults for `npm run bench`: the harness of tests/integration/helpers/
 * fault-trials.ts (the server killed with SIGKILL at random moments while 50 devices push
 * offline edits and keep editing, then restarted), with its figures as table rows. The
 * integration test runs 3 trials and asserts correctness only; the bench runs 20
 * (`--trials=100` for more) and reports the timings too.
 */
import { runFaultTrials, type FaultReport } from '../tests/integration/helpers/fault-trials.ts';
import { median, secs, yes, type Row } from './harness.ts';

const TARGET = { convergeMs: 10_000 };

export async function faultTrials(opts: { trials: number; seed: number; log: (line: string) => void }): Promise<Row[]> {
	const report = await runFaultTrials({ trials: opts.trials, seed: opts.seed, log: opts.log });
	return faultRows(report, opts.trials, opts.seed);
}

function faultRows(report: FaultReport, asked: number, seed: number): Row[] {
	const t = report.trials;
	const lost = t.reduce((s, x) => s + x.lost, 0);
	// Each check covers every edit acknowledged so far: the last one covers them all.
	const checked = t.at(-1)?.checked ?? 0;
	const converged = t.filter((x) => x.converged);
	const conv = converged.map((x) => x.convergeMs);
	const restart = t.map((x) => x.restartMs);
	const intact = t.filter((x) => x.integrity === 'ok').length;
	const edits = t.map((x) => x.edits);
	const acked = t.map((x) => x.acked);
	const onDisk = t.map((x) => x.onDisk);
	const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
	const who =
		`${t.length} of ${asked} trials (seed ${seed}): ${report.devices} devices (half on live /sync sockets, half on the /feed ` +
		`background sync, one staff user) over ${report.documents} documents`;
	const afterRecovery = sum(t.map((x) => x.missing)) + report.finalMissing;
	const differing = sum(t.map((x) => x.differing)) + report.finalDiffering;
	return [
		{
			measure: 'Acknowledged updates lost after kill -9',
			value: `${lost} of ${checked.toLocaleString('en')} acknowledged`,
			target: '0',
			met: yes(lost === 0 && t.length === asked),
			notes:
				`${who}. Each trial: every device drops its sockets and edits offline, reconnects (staggered over 0.3 s) and keeps ` +
				`editing; SIGKILL at a random moment 0–1.5 s in (median ${secs(median(t.map((x) => x.killAfterMs)))}). Right after ` +
				`each kill the SQLite file is read by another connection: every edit whose acknowledgement (sent only after the ` +
				`commit) had arrived must be in it (every acknowledged edit is checked again after each later kill). Per trial: ${Math.round(median(edits))} ` +
				`edits (median), of which ${Math.round(median(acked))} acknowledged and ${Math.round(median(onDisk))} in the file at ` +
				`the kill; ${sum(edits).toLocaleString('en')} edits in all. After recovery: ${afterRecovery} edits of any device missing ` +
				`from the file, ${differing} documents differing between devices and the file`
		},
		{
			measure: 'Time to converge after kill -9',
			value: converged.length ? `${secs(median(conv))} median, ${secs(Math.max(...conv))} max` : 'never',
			target: `< ${TARGET.convergeMs / 1000} s`,
			met: yes(converged.length === t.length && t.length === asked && Math.max(...conv) < TARGET.convergeMs),
			notes:
				`kill → every device's edits acknowledged and all devices holding the same documents (equal to the file's); includes ` +
				`the restart (\`node --import tsx server/index.ts\` on the same file): ${secs(median(restart))} median, ` +
				`${secs(Math.max(...restart))} max; ${converged.length} of ${t.length} trials converged`
		},
		{
			measure: 'PRAGMA integrity_check after kill -9',
			value: `ok in ${intact} of ${t.length}`,
			target: 'ok every time',
			met: yes(intact === t.length && t.length === asked && report.finalIntegrity === 'ok'),
			notes: `run on the file left by each kill, before the restart; after the last trial and a clean stop: ${report.finalIntegrity}`
		}
	];
}

/**
 * Main-thread CPU time from a devtools.timeline trace (bench/harness.ts startTrace): the
 * thread time (`tdur`) of the renderer main thread's top-level tasks. Unlike the wall-clock
 * latencies it hardly grows when other processes share the cores, so it compares runs made
 * at different load averages.
 */
interface CpuTraceEvent {
	name: string;
	ph: string;
	pid: number;
	tid: number;
	ts: number;
	dur?: number;
	tdur?: number;
	args?: { name?: string };
}

/** Milliseconds of main-thread CPU in the trace, optionally between the last pair of two performance.mark()s. */
export function mainThreadCpu(events: readonly object[], between?: [string, string]): number {
	const all = events as CpuTraceEvent[];
	const at = (name: string) => all.filter((e) => e.name === name).at(-1)?.ts;
	const from = between ? (at(between[0]) ?? -Infinity) : -Infinity;
	const to = between ? (at(between[1]) ?? Infinity) : Infinity;
	const main = new Set(
		all
			.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
			.map((e) => `${e.pid}:${e.tid}`)
	);
	let us = 0;
	for (const e of all) {
		if (e.ph !== 'X' || e.tdur === undefined || !main.has(`${e.pid}:${e.tid}`)) continue;
		if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
		if (e.ts + (e.dur ?? 0) < from || e.ts > to) continue;
		us += e.tdur;
	}
	return us / 1000;
}

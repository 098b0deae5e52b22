/**
 * Plumbing for bench/run.ts: the app build check, the real server process, browser bundles
 * and their static server, machine facts, statistics and CPU-profile summaries.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rejects with a clear message when `p` takes longer than `ms`. */
export async function within<T>(ms: number, label: string, p: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			p,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${label}: no result within ${Math.round(ms / 1000)} s`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}

// --- The app build ------------------------------------------------------------------------

/** The same inputs server/launch.js compares with build/handler.js. */
const BUILD_INPUTS = [
	'src',
	'static',
	'messages',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

function newest(p: string): number {
	let st: fs.Stats;
	try {
		st = fs.statSync(p);
	} catch {
		return 0;
	}
	if (!st.isDirectory()) return st.mtimeMs;
	let max = 0;
	for (const e of fs.readdirSync(p)) if (e !== 'paraglide') max = Math.max(max, newest(path.join(p, e)));
	return max;
}

/** Builds the app (vite build) when build/ is missing or older than its sources; returns ms spent (0 = fresh). */
export function ensureBuild(log: (s: string) => void): number {
	const stamp = path.join(root, 'build', 'handler.js');
	const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
	const source = Math.max(...BUILD_INPUTS.map((i) => newest(path.join(root, i))));
	if (built >= source) return 0;
	log(built ? 'build/ is older than the sources: vite build…' : 'no build/: vite build…');
	const t0 = performance.now();
	const r = spawnSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build'], {
		cwd: root,
		encoding: 'utf8',
		timeout: 300_000
	});
	if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
	return performance.now() - t0;
}

// --- The server -------------------------------------------------------------------------

export interface ServerProcess {
	url: string;
	pid: number;
	/** Resident set size and its peak (VmRSS, VmHWM), in bytes. */
	memory(): { rss: number; peak: number };
	/** CPU time (user + system) used so far, in ms. */
	cpuMs(): number;
	log(): string;
	stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Kills `child` if this process exits first (the watchdog, a crash): no server outlives the bench. */
export function killOnExit(child: ChildProcess): void {
	if (children.size === 0) process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
	children.add(child);
	child.once('exit', () => children.delete(child));
}

/** Starts `node --import tsx server/index.ts` on a free port with the given data directory (`nodeArgs`: e.g. --cpu-prof). */
export async function startServer(
	dataDir: string,
	env: Record<string, string>,
	nodeArgs: string[] = []
): Promise<ServerProcess> {
	const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/index.ts'], {
		cwd: root,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	killOnExit(child);
	let output = '';
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const url = await within(
		60_000,
		'server start',
		new Promise<string>((resolve, reject) => {
			const onData = () => {
				const m = /Fieldbook is running at (http:\/\/\S+)/.exec(output);
				if (m) resolve(m[1]);
			};
			child.stdout!.on('data', onData);
			child.once('exit', (code) => reject(new Error(`server exited (${code}) during start:\n${output}`)));
		})
	);
	const pid = child.pid!;
	const stats = procStats(pid);
	let stopped: Promise<void> | null = null;
	return {
		url,
		pid,
		memory: stats.memory,
		cpuMs: stats.cpuMs,
		log: () => output,
		stop() {
			stopped ??= (async () => {
				if (child.exitCode !== null) return;
				const exited = new Promise<void>((r) => child.once('exit', () => r()));
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(timer);
			})();
			return stopped;
		}
	};
}

/** CPU time and memory of any process, from /proc (Linux). */
export function procStats(pid: number): {
	/** Resident set size and its peak (VmRSS, VmHWM), in bytes. */
	memory(): { rss: number; peak: number };
	/** CPU time (user + system) used so far, in ms. */
	cpuMs(): number;
} {
	const kb = (s: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
	return {
		memory() {
			const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
			return { rss: kb(s, 'VmRSS'), peak: kb(s, 'VmHWM') };
		},
		cpuMs() {
			// Fields after the command name (which is in parentheses): utime is the 14th, stime the 15th.
			const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
		}
	};
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

// --- Browser bundles and their static server -------------------------------------------

export const BUILD_DIR = path.join(root, 'bench', '.build');

/** Bundles a browser entry (bench/browser/*.ts) into bench/.build/<name>.js; returns its text. */
export async function bundle(entry: string, name: string): Promise<string> {
	const outfile = path.join(BUILD_DIR, `${name}.js`);
	await build({
		entryPoints: [path.join(root, entry)],
		outfile,
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'es2022',
		logLevel: 'error',
		alias: { $lib: path.join(root, 'src', 'lib') }
	});
	return fs.readFileSync(outfile, 'utf8');
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };

/** Serves bench/.build on 127.0.0.1 (a free port). */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer((req, res) => {
		const file = path.join(dir, path.normalize(new URL(req.url ?? '/', 'http://x').pathname));
		if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
			res.statusCode = 404;
			return res.end('not found');
		}
		res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
		res.setHeader('cache-control', 'no-store');
		fs.createReadStream(file).pipe(res);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			})
	};
}

// --- Machine ---------------------------------------------------------------------------

export function machine(): {
	cpu: string;
	cores: number;
	ramGb: number;
	node: string;
	chromium: string;
	date: string;
	git: string;
} {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
	const git = (...a: string[]) => spawnSync('git', a, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
	// Uncommitted changes outside bench/ are part of what was measured: say so.
	const dirty = git('status', '--porcelain', '--', '.', ':!bench').split('\n').filter(Boolean).length;
	return {
		cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? os.cpus()[0]?.model ?? 'unknown',
		cores: os.availableParallelism(),
		ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		chromium: r.stdout.trim() || 'unknown',
		date: new Date().toISOString(),
		git: `commit ${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ` plus ${dirty} uncommitted changed files` : ''}`
	};
}

// --- The table -------------------------------------------------------------------------

/** One row of the table `npm run bench` prints. */
export interface Row {
	measure: string;
	value: string;
	/** The same figure of the peer measured in the same run (the reference server), if any. */
	peer?: string;
	target: string;
	met: string;
	notes: string;
}

export const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

// --- Statistics ------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 50);

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 100 ? v.toFixed(1) : Math.round(v)} ms` : 'n/a');
export const secs = (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : 'n/a');
export const mb = (v: number) => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(1)} MB` : 'n/a');

// --- CPU profiles ----------------------------------------------------------------------

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples?: number[];
	timeDeltas?: number[];
	startTime: number;
	endTime: number;
}

/**
 * Self time by function (main thread of the page), largest first. App code is minified, so a
 * function is named by file, line and column plus a snippet of its source from `clientDir`
 * (property names and strings survive minification).
 */
export function summarizeProfile(
	profile: CpuProfile,
	top: number,
	clientDir: string
): { totalMs: number; idleMs: number; lines: string[] } {
	const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<string, { ms: number; frame: ProfileNode['callFrame'] }>();
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	for (let i = 0; i < samples.length; i++) {
		const n = byNode.get(samples[i]);
		if (!n) continue;
		const f = n.callFrame;
		const key = `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;
		const entry = self.get(key) ?? { ms: 0, frame: f };
		// A sample's time is the gap to the next sample.
		entry.ms += (deltas[i + 1] ?? 0) / 1000;
		self.set(key, entry);
	}
	const sources = new Map<string, string[] | null>();
	const snippet = (f: ProfileNode['callFrame']) => {
		let pathname: string;
		try {
			pathname = new URL(f.url).pathname;
		} catch {
			return '';
		}
		if (!sources.has(pathname)) {
			const file = path.join(clientDir, pathname);
			sources.set(
				pathname,
				file.startsWith(clientDir) && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : null
			);
		}
		const line = sources.get(pathname)?.[f.lineNumber];
		return line ? ` \`${line.slice(f.columnNumber, f.columnNumber + 70).replace(/`/g, "'")}\`` : '';
	};
	const idleMs = [...self.values()].filter((e) => e.frame.functionName === '(idle)').reduce((a, e) => a + e.ms, 0);
	const lines = [...self.values()]
		.filter((e) => e.frame.functionName !== '(idle)')
		.sort((a, b) => b.ms - a.ms)
		.slice(0, top)
		.map(({ ms, frame: f }) => {
			const file = f.url ? f.url.split('/').pop()!.split('?')[0] : '';
			const where = f.url ? ` (${file}:${f.lineNumber + 1}:${f.columnNumber + 1})${snippet(f)}` : '';
			return `${Math.round(ms)} ms ${f.functionName || '(anonymous)'}${where}`;
		});
	return { totalMs: (profile.endTime - profile.startTime) / 1000, idleMs, lines };
}

// --- Traces ----------------------------------------------------------------------------

interface TraceEvent {
	name: string;
	ph: string;
	pid: number;
	tid: number;
	ts: number;
	dur?: number;
	args?: { name?: string };
}

/** Starts a devtools.timeline trace on a CDP session; the returned function ends it and returns its events. */
export async function startTrace(cdp: import('@playwright/test').CDPSession): Promise<() => Promise<TraceEvent[]>> {
	const events: TraceEvent[] = [];
	const onData = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
	cdp.on('Tracing.dataCollected', onData);
	await cdp.send('Tracing.start', {
		categories: 'devtools.timeline,v8,blink.user_timing',
		transferMode: 'ReportEvents'
	});
	return async () => {
		const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
		await cdp.send('Tracing.end');
		await within(30_000, 'trace end', done);
		cdp.off('Tracing.dataCollected', onData);
		return events;
	};
}

/**
 * Inclusive time of the largest trace events on the renderer's main thread, divided by
 * `per` (e.g. keystrokes): "Layout 3.1 ms". Nested events overlap (FunctionCall inside
 * EventDispatch), so the figures do not add up to a total.
 */
export function summarizeTrace(events: TraceEvent[], per: number, top = 12, between?: [string, string]): string {
	// Optionally only between two performance.mark()s of the page (the last pair).
	const at = (name: string) => events.filter((e) => e.name === name).at(-1)?.ts;
	const from = between ? (at(between[0]) ?? -Infinity) : -Infinity;
	const to = between ? (at(between[1]) ?? Infinity) : Infinity;
	const main = new Set(
		events
			.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
			.map((e) => `${e.pid}:${e.tid}`)
	);
	const total = new Map<string, number>();
	for (const e of events) {
		if (e.ph !== 'X' || e.dur === undefined || !main.has(`${e.pid}:${e.tid}`)) continue;
		if (e.ts < from || e.ts > to) continue;
		if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') continue;
		total.set(e.name, (total.get(e.name) ?? 0) + e.dur / 1000);
	}
	const window = Number.isFinite(from) && Number.isFinite(to) ? `${((to - from) / 1000).toFixed(1)} ms window: ` : '';
	return (
		window +
		[...total.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, t]) => `${name} ${(t / per).toFixed(1)} ms`)
			.join(', ')
	);
}

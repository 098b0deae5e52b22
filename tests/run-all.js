// `npm test`: every check, failing if any fails. Formatting, lint and types first (cheap),
// then unit tests, the production build, integration tests against the real server, the
// timing-bound integration tests on a quiet machine, and e2e in Chromium. Ends with one
// "N passed, N failed" line of real tests.
//
// The checks run in stages. Steps of one stage run side by side when they are single-threaded
// tools that would leave the second core idle (eslint, svelte-check); their output is held and
// printed whole when each ends, so it never interleaves. Vitest would use one worker on a
// two-core machine (its default is cores − 1); the suites here spend much of their time waiting
// on sockets and child processes, so they get one worker per core — except the tests that bound
// the server's event-loop lag or a response time, which run alone in their own step (see
// TIMING_BOUND in vite.config.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
/** @param {string} name */
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const cores = Math.max(2, os.availableParallelism());

/** @typedef {{ name: string, cmd: string, args: string[], env?: Record<string, string>, count?: () => { passed: number, failed: number } }} Step */

/** @type {Step[][]} each inner list is a stage; its steps run side by side */
const stages = [
	// Generated code first (gitignored): Paraglide's messages and SvelteKit's types.
	[
		{
			name: 'i18n',
			cmd: bin('paraglide-js'),
			args: [
				'compile',
				'--project',
				'./project.inlang',
				'--outdir',
				'./src/lib/paraglide',
				'--strategy',
				'cookie',
				'preferredLanguage',
				'baseLocale',
				'--silent'
			]
		}
	],
	[{ name: 'sync', cmd: bin('svelte-kit'), args: ['sync'] }],
	[
		{ name: 'format', cmd: bin('prettier'), args: ['--check', '.', '--log-level', 'warn'] },
		{ name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings', '0'] },
		{
			name: 'types',
			cmd: bin('svelte-check'),
			args: ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']
		}
	],
	[vitestStep('unit', cores)],
	[{ name: 'build', cmd: bin('vite'), args: ['build', '--logLevel', 'warn'] }],
	[vitestStep('integration', cores)],
	[vitestStep('timing', 1)],
	[
		{
			name: 'e2e',
			cmd: bin('playwright'),
			args: ['test', '--reporter=list,json'],
			env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(results, 'e2e.json') },
			count: () => {
				const { stats } = JSON.parse(fs.readFileSync(path.join(results, 'e2e.json'), 'utf8'));
				return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
			}
		}
	]
];

/**
 * @param {string} project
 * @param {number} workers
 * @returns {Step}
 */
function vitestStep(project, workers) {
	const out = path.join(results, `${project}.json`);
	return {
		name: project,
		cmd: bin('vitest'),
		args: [
			'run',
			'--project',
			project,
			`--maxWorkers=${workers}`,
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${out}`
		],
		count: () => {
			const r = JSON.parse(fs.readFileSync(out, 'utf8'));
			return { passed: r.numPassedTests, failed: r.numFailedTests };
		}
	};
}

/**
 * Runs one step. Alone in its stage it writes straight to the terminal; beside others its
 * output is collected and printed when it ends.
 * @param {Step} step
 * @param {boolean} alone
 * @returns {Promise<{ step: Step, code: number | string, secs: string }>}
 */
function run(step, alone) {
	const t0 = Date.now();
	if (alone) console.log(`\n▶ ${step.name}`);
	return new Promise((resolve) => {
		const child = spawn(step.cmd, step.args, {
			cwd: root,
			stdio: ['ignore', alone ? 'inherit' : 'pipe', alone ? 'inherit' : 'pipe'],
			env: { ...process.env, ...step.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }
		});
		/** @type {Buffer[]} */
		const held = [];
		child.stdout?.on('data', (b) => held.push(b));
		child.stderr?.on('data', (b) => held.push(b));
		const done = (/** @type {number | string} */ code) => {
			const secs = ((Date.now() - t0) / 1000).toFixed(1);
			if (!alone) {
				console.log(`\n▶ ${step.name}`);
				process.stdout.write(Buffer.concat(held));
			}
			resolve({ step, code, secs });
		};
		child.on('error', (e) => {
			held.push(Buffer.from(`${e.message}\n`));
			done('spawn error');
		});
		child.on('close', (code, signal) => done(code ?? signal ?? 'unknown'));
	});
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const stage of stages) {
	const ended = await Promise.all(stage.map((step) => run(step, stage.length === 1)));
	let stop = false;
	for (const { step, code, secs } of ended) {
		if (step.count) {
			try {
				const c = step.count();
				passed += c.passed;
				failed += c.failed;
			} catch {
				/* no report written: the step failed before running tests */
			}
		}
		if (code !== 0) {
			console.error(`\n✖ ${step.name} failed (exit ${code}) after ${secs}s`);
			stop = true;
		} else console.log(`✔ ${step.name} (${secs}s)`);
	}
	if (stop) {
		console.log(`\ntests: ${passed} passed, ${Math.max(failed, 1)} failed`);
		process.exit(1);
	}
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
console.log(`tests: ${passed} passed, ${failed} failed`);

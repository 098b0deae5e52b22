// `npm test`: every check, in order, failing if any fails. Formatting and lint and types
// first (cheap), then unit tests, the production build, integration tests against the
// real server, and e2e in Chromium. Ends with one "N passed, N failed" line of real tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
/** @param {string} name */
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** @type {{ name: string, cmd: string, args: string[], env?: Record<string, string>, count?: () => { passed: number, failed: number } }[]} */
const steps = [
	// Generated code first (gitignored): Paraglide's messages and SvelteKit's types.
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
	},
	{ name: 'sync', cmd: bin('svelte-kit'), args: ['sync'] },
	{ name: 'format', cmd: bin('prettier'), args: ['--check', '.', '--log-level', 'warn'] },
	{ name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings', '0'] },
	{
		name: 'types',
		cmd: bin('svelte-check'),
		args: ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']
	},
	vitestStep('unit'),
	{ name: 'build', cmd: bin('vite'), args: ['build', '--logLevel', 'warn'] },
	vitestStep('integration'),
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
];

/** @param {string} project */
function vitestStep(project) {
	const out = path.join(results, `${project}.json`);
	return {
		name: project,
		cmd: bin('vitest'),
		args: ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
		count: () => {
			const r = JSON.parse(fs.readFileSync(out, 'utf8'));
			return { passed: r.numPassedTests, failed: r.numFailedTests };
		}
	};
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const step of steps) {
	const t0 = Date.now();
	console.log(`\n▶ ${step.name}`);
	const r = spawnSync(step.cmd, step.args, {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, ...step.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }
	});
	if (step.count) {
		try {
			const c = step.count();
			passed += c.passed;
			failed += c.failed;
		} catch {
			/* no report written: the step failed before running tests */
		}
	}
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	if (r.status !== 0) {
		console.error(`\n✖ ${step.name} failed (exit ${r.status ?? r.signal}) after ${secs}s`);
		console.log(`\ntests: ${passed} passed, ${Math.max(failed, 1)} failed`);
		process.exit(1);
	}
	console.log(`✔ ${step.name} (${secs}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
console.log(`tests: ${passed} passed, ${failed} failed`);

// `npm start`: builds the app when the build is missing or older than the sources, then
// runs the server in this same process (TypeScript through tsx's loader: Node 20 cannot
// run .ts files by itself).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = path.join(root, 'build', 'handler.js');
const inputs = [
	'src',
	'static',
	'messages',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

/** @param {string} p @returns {number} */
function newest(p) {
	let st;
	try {
		st = fs.statSync(p);
	} catch {
		return 0;
	}
	if (!st.isDirectory()) return st.mtimeMs;
	let max = 0;
	for (const e of fs.readdirSync(p)) {
		// Generated output lives under src/lib/paraglide; it is rebuilt by the build itself.
		if (e === 'paraglide') continue;
		max = Math.max(max, newest(path.join(p, e)));
	}
	return max;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const source = Math.max(...inputs.map((i) => newest(path.join(root, i))));
if (built < source) {
	console.log(built ? 'Sources changed since the last build: building…' : 'First start: building the app…');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit']
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}

// One process: register tsx's loader here and import the server entry.
const { register } = await import('tsx/esm/api');
register();
await import('./index.ts');

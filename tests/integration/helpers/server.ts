/**
 * Starts the real server (server/index.ts, the built SvelteKit app and /sync) as its own
 * process on port 0 with a fresh SQLite file in a temp dir, as `npm start` would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };

export interface TestServer {
	/** Where the process listens (loopback, real port). */
	url: string;
	/** The origin browsers use: PUBLIC_URL's when set, else the listening one. */
	origin: string;
	dataDir: string;
	proc: ChildProcess;
	output: () => string;
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServer(
	env: Record<string, string> = {},
	opts: { admin?: boolean; dataDir?: string; keepData?: boolean } = {}
): Promise<TestServer> {
	if (!fs.existsSync(path.join(root, 'build', 'handler.js'))) {
		throw new Error('build/ is missing: run `npm run build` before the integration tests');
	}
	const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-it-'));
	const admin = opts.admin === false ? {} : { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
	const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'index.ts')], {
		cwd: root,
		env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...admin, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
		const check = () => {
			const m = /Fieldbook is running at (\S+)(?: \(listening on (\S+)\))?/.exec(out);
			if (m && /SMTP_URL|Sign in|setup\?token/.test(out)) {
				clearTimeout(timer);
				resolve(m);
			}
		};
		proc.stdout!.on('data', check);
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${out}`));
		});
	});
	const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
	const url = printed[2] ?? printed[1];
	return {
		url,
		origin: new URL(printed[1]).origin,
		dataDir,
		proc,
		output: () => out,
		async stop(signal: NodeJS.Signals = 'SIGTERM') {
			if (proc.exitCode === null) proc.kill(signal);
			const code = await exited;
			if (!opts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
			return code;
		}
	};
}

/** Runs the server entry and waits for it to exit (for start-up failures). */
export function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve) => {
		const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'index.ts')], {
			cwd: root,
			env: { PATH: process.env.PATH, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
		proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
		proc.on('exit', (code) => resolve({ code, output }));
	});
}

import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

/**
 * E2E against the built app, served by the real server (server/index.ts) on a fresh SQLite
 * file, in Debian's chromium (Playwright's own browser download does not work here).
 */
const port = Number(process.env.E2E_PORT ?? 4317);
export const BASE_URL = `http://127.0.0.1:${port}`;
/** Where the server delivers mail; tests/e2e/mail.spec.ts starts a real SMTP peer (smtp-server) there. */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 4326);
const dataDir = path.join(os.tmpdir(), `fieldbook-e2e-${process.pid}-${Date.now()}`);

/** Specs that run after all others (see `projects`). */
const LAST = /\/import\.spec\.ts$/;

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export default defineConfig({
	testDir: 'tests/e2e',
	// Tests, not files, are handed to the workers: a file is not a unit of balance (one holds
	// four tests of a minute each, another one of five seconds), and with whole files one
	// worker sat idle while the other finished the last long file. Every test makes its own
	// records and staff; a file whose tests share a hook (mail.spec.ts: one SMTP peer on a fixed
	// port) or an order keeps them on one worker with `test.describe.configure`.
	fullyParallel: true,
	// Two browsers at once (CI has two cores): every test makes its own records and staff.
	workers: Number(process.env.E2E_WORKERS ?? 2),
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: process.env.CI ? [['list']] : [['list']],
	// Two workers share two cores: a test with several axe checks can take half a minute.
	timeout: 60_000,
	use: {
		baseURL: BASE_URL,
		// A trace records every action of every test (DOM snapshots, a screencast) and is thrown
		// away when the test passes: about a fifth of the suite's CPU on two cores (measured on
		// modules-staff + customer-page: 63 s of CPU with traces, 50 s without). Off in `npm
		// test`; E2E_TRACE=1 keeps one for each failing test. A failure still writes its error
		// and the page's accessibility snapshot (test-results/…/error-context.md).
		trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{ name: 'main', testIgnore: LAST },
		// The import tests write thousands of records, which every later admin device would sync
		// first: they run when everything else has finished.
		{ name: 'imports', testMatch: LAST, dependencies: ['main'] }
	],
	webServer: {
		command: 'node --import tsx server/index.ts',
		url: `http://127.0.0.1:${port}/login`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ADMIN_EMAIL: ADMIN.email,
			ADMIN_PASSWORD: ADMIN.password,
			// Every test signs in from 127.0.0.1, mostly as one user; the limits themselves are
			// tested in tests/integration.
			LOGIN_MAX_PER_ADDRESS: '10000',
			SYNC_UPGRADES_PER_ADDRESS: '1000000',
			SYNC_UPGRADES_PER_USER: '1000000',
			SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`
		}
	}
});

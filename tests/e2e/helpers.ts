/**
 * Shared pieces of the e2e suite: a `test` that fails whenever a page logs a Content Security
 * Policy violation, the accessibility check run on every screen, sign-in and staff set-up
 * through the UI, and unique test data (all tests share one server and one database).
 */
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, BASE_URL } from '../../playwright.config';

export { ADMIN, expect };

export interface StaffAccount {
	name: string;
	email: string;
	password: string;
}

/** A staff member nobody else in the shared database uses. */
export function uniqueStaff(label: string): StaffAccount {
	const suffix = randomBytes(4).toString('hex');
	return {
		name: `${label} ${suffix}`,
		email: `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${suffix}@example.com`,
		password: `pw-${randomBytes(6).toString('hex')}`
	};
}

/** Console messages that mention a CSP violation, from every page of a context. */
function watchCsp(context: BrowserContext, into: string[]): void {
	const watch = (page: Page) => watchPageCsp(page, into);
	context.pages().forEach(watch);
	context.on('page', watch);
}

/** Console messages of one page that mention a CSP violation. */
function watchPageCsp(page: Page, into: string[]): void {
	page.on('console', (msg) => {
		if (/Content Security Policy/i.test(msg.text())) into.push(`${page.url()}: ${msg.text()}`);
	});
}

interface Fixtures {
	/** CSP messages seen so far in this test (the default context and every `newContext()`). */
	cspMessages: string[];
	/** A fresh browser context (no cookies), watched for CSP messages and closed after the test. */
	newContext: (options?: Parameters<Browser['newContext']>[0]) => Promise<BrowserContext>;
	/**
	 * The admin's app, opened on the admin's device of this worker (see `adminDevice`) at the
	 * test's viewport: what `signIn(page, ADMIN)` gives on a fresh browser, without the fresh
	 * browser. Its pages are closed and the device is online again after the test.
	 */
	adminPage: Page;
}

interface WorkerFixtures {
	/**
	 * One browser context per worker in which the admin signed in once: its service worker,
	 * device store and session stay from test to test, as on an admin's own computer. A fresh
	 * browser's first start — every asset precached, every record the admin may read synced —
	 * cost a few seconds of both cores in each test that signed the admin in only to get going.
	 * Tests of a fresh device, of signing in or out, or that take the admin's device offline
	 * keep `page` and `signIn`.
	 */
	adminDevice: BrowserContext;
}

/** CSP messages of each admin device's first start, until a test takes them. */
const firstStartCsp = new WeakMap<BrowserContext, string[]>();

export const test = base.extend<Fixtures, WorkerFixtures>({
	cspMessages: [
		async ({ context }, use) => {
			const messages: string[] = [];
			watchCsp(context, messages);
			await use(messages);
			expect(messages, 'no page may report a Content Security Policy violation').toEqual([]);
		},
		{ auto: true }
	],
	newContext: async ({ browser, cspMessages }, use) => {
		const opened: BrowserContext[] = [];
		await use(async (options) => {
			const context = await browser.newContext(options);
			watchCsp(context, cspMessages);
			opened.push(context);
			return context;
		});
		await Promise.all(opened.map((c) => c.close()));
	},
	adminDevice: [
		async ({ browser }, use) => {
			const context = await browser.newContext({ baseURL: BASE_URL });
			// What the first start reports is told by the worker's first test that opens the app.
			const messages: string[] = [];
			firstStartCsp.set(context, messages);
			const page = await context.newPage();
			watchPageCsp(page, messages);
			await signIn(page, ADMIN);
			await page.close();
			await use(context);
			await context.close();
		},
		{ scope: 'worker' }
	],
	adminPage: async ({ adminDevice, viewport, cspMessages }, use) => {
		const watch = (page: Page) => watchPageCsp(page, cspMessages);
		adminDevice.on('page', watch);
		cspMessages.push(...(firstStartCsp.get(adminDevice)?.splice(0) ?? []));
		await adminDevice.setOffline(false);
		const page = await adminDevice.newPage();
		if (viewport) await page.setViewportSize(viewport);
		await page.goto('/');
		await expect(page.getByRole('banner').getByRole('link', { name: 'Fieldbook' })).toBeVisible({ timeout: 15_000 });
		await expect(page).not.toHaveURL(/\/login(\?|$)/);
		await use(page);
		adminDevice.off('page', watch);
		await adminDevice.setOffline(false);
		await Promise.all(adminDevice.pages().map((p) => p.close()));
	}
});

/** axe-core itself (the engine @axe-core/playwright injects), read once per worker. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe on the page as it is now: no violation of impact "serious" or "critical". Every rule
 * axe enables by default runs, as with AxeBuilder; but axe is injected once per document (the
 * app navigates client-side, so one injection serves a whole test) and runs in the page itself,
 * instead of AxeBuilder's per-call injection and its extra page to merge frame results (the
 * app has no frames). On two cores that was about 3 s of each check.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
	const results = await page.evaluate(() =>
		(window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, {
			resultTypes: ['violations']
		})
	);
	const blocking = results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({
			rule: v.id,
			impact: v.impact,
			help: v.help,
			elements: v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`)
		}));
	expect(blocking, `accessibility of ${screen}`).toEqual([]);
}

/**
 * Signs in and waits for the app frame (its top bar). The form is posted as the browser would
 * post it without scripts (the login page is a plain form action), with the context's cookies;
 * the sign-in screen itself — typing, errors, limits, languages — is tested through its UI in
 * auth.spec.ts and portal.spec.ts. Loading the login page and waiting for the network to be
 * idle, in every test, cost about 3 s each on two cores.
 */
export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
	const res = await page.request.post('/login', {
		form: { email: account.email, password: account.password },
		headers: { origin: BASE_URL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(res.status(), `sign-in of ${account.email}`).toBe(303);
	await page.goto('/');
	// The app's first start in a fresh browser (scripts, the device store, the service worker
	// precaching every asset) took over 5 s with two browsers on two busy cores.
	await expect(page.getByRole('banner').getByRole('link', { name: 'Fieldbook' })).toBeVisible({ timeout: 15_000 });
	await expect(page).not.toHaveURL(/\/login(\?|$)/);
}

/** Fills and sends the login form on the page already open; does not wait for the outcome. */
export async function submitLogin(page: Page, account: { email: string; password: string }): Promise<void> {
	await page.getByLabel('E-mail').fill(account.email);
	await page.getByLabel('Password').fill(account.password);
	const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
	await page.getByRole('button', { name: 'Sign in' }).click();
	const response = await posted;
	// A 403 here is SvelteKit's CSRF origin check: the server's idea of its own origin (scheme,
	// host, port) differs from the page's, so no form post of the app can work.
	expect(response.status(), 'POST /login must not be refused by the CSRF origin check').not.toBe(403);
}

/** Signs in with a password that must be refused, and checks the one generic error. */
export async function expectSignInRefused(page: Page, account: { email: string; password: string }): Promise<void> {
	// As in signIn: wait for the page's scripts, or hydration resets what was typed.
	await page.goto('/login', { waitUntil: 'networkidle' });
	await submitLogin(page, account);
	await expect(page.getByRole('alert')).toHaveText('Incorrect e-mail or password.');
	await expect(page).toHaveURL(/\/login$/);
}

/** Signs out with the button in the navigation (opening the phone menu first if need be). */
export async function signOut(page: Page): Promise<void> {
	const signOutButton = page.getByRole('button', { name: 'Sign out' });
	const menu = page.getByRole('button', { name: 'Menu', expanded: false });
	if (!(await signOutButton.isVisible()) && (await menu.isVisible())) await menu.click();
	await signOutButton.click();
	await expect(page.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await expect(page).toHaveURL(/\/login$/);
}

/** The staff table on /admin/staff, named by its heading. */
export function staffTable(page: Page) {
	return page.getByRole('table', { name: 'Staff members' });
}

/** The table row of one staff member, found by their unique e-mail. */
export function staffRow(page: Page, email: string) {
	return staffTable(page).getByRole('row').filter({ hasText: email });
}

/** An admin (signed in on `page`) adds a staff member through the form on /admin/staff. */
export async function addStaffMember(
	page: Page,
	account: StaffAccount,
	role: 'Staff' | 'Admin' = 'Staff'
): Promise<void> {
	if (!page.url().endsWith('/admin/staff')) await page.goto('/admin/staff');
	const form = page.getByRole('region', { name: 'Add staff member' });
	await form.getByLabel('Name').fill(account.name);
	await form.getByLabel('E-mail').fill(account.email);
	await form.getByLabel('Role').selectOption({ label: role });
	await form.getByLabel('Initial password').fill(account.password);
	await form.getByRole('button', { name: 'Add staff member' }).click();
	await expect(page.getByText(`${account.name} was added.`)).toBeVisible();
	await expect(staffRow(page, account.email)).toBeVisible();
}

/**
 * An admin (signed in on `page`) adds a staff member by posting the staff page's form, as the
 * page's own script posts it (SvelteKit's form action, answered in JSON). For tests in which
 * the staff member is a means, not the subject: the form itself is tested in auth.spec.ts and
 * staff-admin.spec.ts. Opening /admin/staff and filling the form cost a server-rendered page
 * load and its hydration in every such test.
 */
export async function createStaffMember(
	page: Page,
	account: StaffAccount,
	role: 'Staff' | 'Admin' = 'Staff'
): Promise<void> {
	const res = await page.request.post('/admin/staff?/create', {
		form: { name: account.name, email: account.email, role: role.toLowerCase(), password: account.password },
		headers: { origin: BASE_URL, accept: 'application/json' }
	});
	expect(res.status(), `adding ${account.email}`).toBe(200);
	const body = (await res.json()) as { type?: string };
	expect(body.type, `adding ${account.email}: ${JSON.stringify(body)}`).toBe('success');
}

/**
 * Picks a language in a language switch and waits until `done` (something only the new
 * language shows) is visible. Choosing an option submits the form by script; before the page
 * is hydrated a change does nothing, so the choice is repeated until the page reacts.
 */
export async function chooseLanguage(page: Page, switchLabel: string, language: string, done: Locator): Promise<void> {
	await expect(async () => {
		if (!(await done.isVisible())) {
			await page.getByLabel(switchLabel).selectOption({ label: language }, { timeout: 2000 });
		}
		await expect(done).toBeVisible({ timeout: 2000 });
	}).toPass({ timeout: 15_000 });
}

/** The page body does not scroll sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
	expect(scrollWidth, `page width ${scrollWidth}px fits the ${innerWidth}px viewport`).toBeLessThanOrEqual(innerWidth);
}

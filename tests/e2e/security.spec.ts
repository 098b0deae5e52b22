/**
 * Browser-facing security settings: the Content Security Policy holds on every page without
 * breaking any, the hardening headers are sent, and the session cookie cannot be read by
 * scripts or sent along with cross-site requests.
 */
import { ADMIN, expect, signIn, signOut, test } from './helpers';

test('/login sends the CSP and the hardening headers', async ({ page }) => {
	const response = await page.goto('/login');
	expect(response?.status()).toBe(200);
	const headers = response!.headers();
	expect(headers['content-security-policy']).toContain("default-src 'self'");
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['x-frame-options']).toBe('DENY');
});

test('no page reports a Content Security Policy violation', async ({ page, cspMessages }) => {
	// Every test checks this after it ends (see helpers.ts); this one walks the screens on purpose.
	await page.goto('/login');
	await expect(page.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await signIn(page, ADMIN);
	await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Staff' }).click();
	await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
	await page.goto('/no-such-page');
	await expect(page.getByRole('heading', { name: 'This page does not exist.' })).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
	await signOut(page);
	expect(cspMessages).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax, and sign-out removes it', async ({ page, context }) => {
	await signIn(page, ADMIN);
	const session = (await context.cookies()).find((c) => c.name === 'fieldbook_session');
	expect(session, 'a fieldbook_session cookie after sign-in').toBeDefined();
	expect(session!.httpOnly).toBe(true);
	expect(session!.sameSite).toBe('Lax');
	expect(session!.path).toBe('/');
	expect(session!.expires).toBeGreaterThan(Date.now() / 1000);

	await signOut(page);
	expect((await context.cookies()).find((c) => c.name === 'fieldbook_session')).toBeUndefined();
});

/** [§5] The app is an installable PWA whose service worker controls it from the first visit. */
import { ADMIN, expect, signIn, test } from './helpers';

test('the web app manifest names the app, its icons (192, 512, maskable) and its start URL', async ({ request }) => {
	const res = await request.get('/manifest.webmanifest');
	expect(res.status()).toBe(200);
	const manifest = (await res.json()) as {
		name: string;
		start_url: string;
		display: string;
		icons: { sizes: string; purpose?: string }[];
	};
	expect(manifest).toMatchObject({ name: 'Fieldbook', start_url: '/', display: 'standalone' });
	expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
	expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
	for (const icon of ['/icon-192.png', '/icon-512.png', '/icon-maskable-512.png']) {
		expect((await request.get(icon)).headers()['content-type']).toBe('image/png');
	}
});

test('Chromium finds the app installable, and the service worker controls it', async ({ page }) => {
	await signIn(page, ADMIN);
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
		.toBe(true);
	const cdp = await page.context().newCDPSession(page);
	const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
		installabilityErrors: { errorId: string }[];
	};
	// Playwright's browser contexts are incognito, which Chromium reports on its own; every
	// other reason (manifest, icons, service worker, start URL) would be the app's fault.
	expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
});

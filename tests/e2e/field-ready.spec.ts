/**
 * Issue #14, items 7–10, as a user notices them: the sync status never misleads and the header
 * never overflows (7); no offline dead ends (8); own password, forgotten password and the first
 * admin's name (9); forms that state their rules and speak the user's language (10).
 */
import type { Page } from '@playwright/test';
import { createCompany, editField, goOffline } from './customers';
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './helpers';

test.setTimeout(120_000);

const WIDTHS = [360, 390, 768, 1024, 1440] as const;

const status = (page: Page) => page.getByRole('status', { name: 'Sync status' });

async function whenControlled(page: Page): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
		.toBe(true);
}

/** A refused change as the device keeps it ("N changes not saved" in the header). */
async function keepNotSaved(page: Page, name: string): Promise<void> {
	await page.evaluate(async (recordName) => {
		const dbs = await indexedDB.databases();
		const dbName = dbs.map((d) => d.name ?? '').find((n) => n.startsWith('fieldbook:'));
		if (!dbName) throw new Error('no device database');
		await new Promise<void>((resolve, reject) => {
			const open = indexedDB.open(dbName);
			open.onsuccess = () => {
				const t = open.result.transaction('notSaved', 'readwrite');
				t.objectStore('notSaved').add({
					doc: crypto.randomUUID(),
					name: recordName,
					code: 4403,
					reason: 'no write access',
					at: Date.now(),
					base: null,
					updates: []
				});
				t.oncomplete = () => (open.result.close(), resolve());
				t.onerror = () => reject(t.error ?? new Error('write failed'));
			};
			open.onerror = () => reject(open.error ?? new Error('open failed'));
		});
	}, name);
}

/** Every width, without a reload: the page never scrolls sideways. */
async function expectFitsEveryWidth(page: Page, screen: string): Promise<void> {
	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: 800 });
		await test.step(`${screen} at ${width}px`, () => expectNoHorizontalScroll(page));
	}
}

test('[§5] item 7: "last synced" survives a reload, changes are counted, "Offline" stays, the header never overflows', async ({
	page
}) => {
	await page.setViewportSize({ width: 1024, height: 800 });
	await signIn(page, ADMIN);
	const name = `Statusprobe Lindenhof Gärtnerei und Baumschule ${Date.now()}`;
	const url = await createCompany(page, name);
	await expect(status(page)).toContainText('Synced', { timeout: 15_000 });
	await expect(status(page)).toContainText('Last synced');
	await whenControlled(page);
	await page.setViewportSize({ width: 360, height: 800 });

	// Offline, reloaded: the device still knows when it last synced.
	await goOffline(page);
	await page.reload();
	await expect(status(page)).toContainText('Offline');
	await expect(status(page)).toContainText('Last synced');
	await expect(status(page)).not.toContainText('Not synced yet');

	// Three edits of two fields of one record: two changes, and "Offline" stays in view.
	await editField(page, 'City', 'Augsburg');
	await editField(page, 'Phone', '+49 821 5566');
	await editField(page, 'City', 'Augsburg-Haunstetten');
	await expect(status(page)).toContainText('Offline');
	await expect(status(page)).toContainText('2 changes waiting');
	await page.reload();
	await expect(status(page)).toContainText('2 changes waiting');

	// The longest header there is: offline, changes waiting, and changes not saved.
	await keepNotSaved(page, name);
	await page.reload();
	await expect(page.getByRole('banner').getByRole('link', { name: '1 change not saved' })).toBeVisible();
	await expectFitsEveryWidth(page, 'customer page, offline');
	for (const screen of ['/', '/companies', '/persons', '/trash', '/device', '/not-saved', '/settings']) {
		await page.setViewportSize({ width: 360, height: 800 });
		await page.goto(screen);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(status(page)).toContainText('2 changes waiting');
		await expectFitsEveryWidth(page, `${screen}, offline`);
	}

	// Online again: the changes are saved; the server-rendered admin screens fit too.
	await page.context().setOffline(false);
	await page.goto(url);
	await expect(status(page)).toContainText('Synced', { timeout: 15_000 });
	for (const screen of ['/admin/staff', '/admin/email']) {
		await page.setViewportSize({ width: 360, height: 800 });
		await page.goto(screen);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByRole('banner').getByRole('link', { name: '1 change not saved' })).toBeVisible();
		await expectFitsEveryWidth(page, screen);
	}
	await page.setViewportSize({ width: 360, height: 800 });
	await expectAccessible(page, 'header with changes not saved at 360 px');
});

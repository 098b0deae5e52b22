/**
 * [§5][§9] One path per edit (issue #15): an edit of a record open on screen goes to the server
 * over that record's live socket only — background sync does not push it a second time while
 * the live socket carries it (the server used to validate each such edit twice). When the live
 * socket cannot carry it (offline), background sync pushes it once the device is back, and
 * nothing is lost either way.
 */
import type { Page, WebSocket as PageSocket } from '@playwright/test';
import { createCompany, editField, goOffline, shownValue } from './customers';
import { ADMIN, expect, signIn, test } from './helpers';

test.setTimeout(90_000);

/** Documents named by the background-sync pushes the page sends (FeedMsg.push = 1, then the name). */
function feedPushes(page: Page): string[] {
	const docs: string[] = [];
	page.on('websocket', (ws: PageSocket) => {
		if (!new URL(ws.url()).pathname.endsWith('/feed')) return;
		ws.on('framesent', ({ payload }) => {
			if (typeof payload === 'string' || payload[0] !== 1) return;
			const length = payload[1]; // names are short: a one-byte varint
			docs.push(payload.subarray(2, 2 + length).toString('utf8'));
		});
	});
	return docs;
}

const synced = (page: Page) =>
	expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 20_000 });

test('an edit of an open record goes over its live socket only; one made offline is saved once back', async ({
	page
}) => {
	const pushes = feedPushes(page);
	await signIn(page, ADMIN);
	const name = `One Path ${Date.now()}`;
	const url = await createCompany(page, name);
	const id = new URL(url).pathname.split('/').pop()!;
	await synced(page);
	// The new record itself reached the server through background sync (it had no live socket yet).
	expect(pushes).toContain(id);

	// Online with the record open: the edit is saved, and not pushed a second time.
	const before = pushes.filter((d) => d === id).length;
	await editField(page, 'Phone', '+49 30 5550101');
	await synced(page);
	await page.waitForTimeout(500); // a push would follow the edit within a turn or two
	expect(pushes.filter((d) => d === id).length).toBe(before);

	// Offline: the live socket cannot carry it; once back, background sync pushes it.
	await goOffline(page);
	await editField(page, 'City', 'Potsdam');
	await page.context().setOffline(false);
	await synced(page);
	await page.reload();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(shownValue(page, 'Phone')).toHaveText('+49 30 5550101');
	await expect(shownValue(page, 'Address')).toHaveText('Potsdam');
});

/**
 * [§5][§8] Device storage the browser keeps (issue #10): a write that fails on a full disk
 * loses nothing and says so at once; freeing cached records lets it land; the server gets it
 * after reconnecting. The app asks for persistent storage after sign-in and shows what the
 * device keeps; changes waiting too long are called out; sign-out names what is not saved.
 *
 * DevTools' quota override has no effect in this headless Chromium (STACK.md), so the disk is
 * modelled in an init script: while it is full, a put/add aborts its transaction with a
 * QuotaExceededError as Chromium does; deleting a record's snapshot makes room.
 */
import type { Page } from '@playwright/test';
import { createCompany, editField, goOffline, setAccess, shownValue } from './customers';
import {
	createStaffMember,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	signIn,
	test,
	uniqueStaff
} from './helpers';

test.setTimeout(120_000);

function modelDisk(): void {
	const w = window as unknown as { __diskFull: boolean };
	w.__diskFull = false;
	for (const method of ['put', 'add'] as const) {
		const original = IDBObjectStore.prototype[method];
		IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
			const request = original.apply(this, args);
			if (w.__diskFull) {
				Object.defineProperty(this.transaction, 'error', {
					value: new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
					configurable: true
				});
				this.transaction.abort();
			}
			return request;
		};
	}
	const del = IDBObjectStore.prototype.delete;
	IDBObjectStore.prototype.delete = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
		if (this.name === 'docs') w.__diskFull = false; // a record's snapshot dropped: room again
		return del.call(this, key);
	};
}

function recordPersistCalls(): void {
	const w = window as unknown as { __persistCalls: number };
	w.__persistCalls = 0;
	const storage = navigator.storage;
	const original = storage.persist.bind(storage);
	storage.persist = () => {
		w.__persistCalls++;
		return original();
	};
}

const status = (page: Page) => page.getByRole('status', { name: 'Sync status' });

test('[§8] an edit on a full disk stays visible, is named at once, lands after freeing cached records and reaches the server', async ({
	adminPage: page,
	newContext
}) => {
	const dana = uniqueStaff('Dana');
	await createStaffMember(page, dana);
	const cachedName = `Cached Co ${Date.now()}`;
	await createCompany(page, cachedName);
	await setAccess(page, 'Public (read)'); // on Dana's device, never opened there
	const editName = `Full Disk Co ${Date.now()}`;
	const editUrl = await createCompany(page, editName);
	await setAccess(page, 'Public (read and write)');

	const context = await newContext();
	await context.addInitScript(modelDisk);
	const danaPage = await context.newPage();
	await signIn(danaPage, dana);
	await danaPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(danaPage.getByRole('link', { name: cachedName })).toBeVisible({ timeout: 15_000 });
	await danaPage.goto(editUrl);
	await expect(danaPage.getByRole('heading', { name: editName, level: 1 })).toBeVisible();
	await expect(status(danaPage)).toContainText('Synced', { timeout: 15_000 });
	// The installed app: its service worker serves the app with no connection.
	await expect
		.poll(() => danaPage.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
		.toBe(true);

	await goOffline(danaPage);
	await danaPage.evaluate(() => ((window as unknown as { __diskFull: boolean }).__diskFull = true));
	await editField(danaPage, 'City', 'Quota Town');

	const alert = danaPage.getByRole('alert').filter({ hasText: 'This device is out of space.' });
	await expect(alert).toBeVisible();
	await expect(alert).toContainText('drop the records you have not opened recently');
	await expect(shownValue(danaPage, 'Address')).toHaveText('Quota Town');
	await expect(status(danaPage)).toContainText('1 change waiting');
	await expect(status(danaPage)).toContainText('oldest waiting');
	await expectAccessible(danaPage, 'customer page with the out-of-space alert');
	await danaPage.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalScroll(danaPage);
	await danaPage.setViewportSize({ width: 1280, height: 720 });

	// Still full a while later: tried again, nothing lost, the message stays.
	await danaPage.waitForTimeout(2500);
	await expect(alert).toBeVisible();
	await expect(shownValue(danaPage, 'Address')).toHaveText('Quota Town');

	await alert.getByRole('button', { name: 'Free space' }).click();
	await expect(alert).toBeHidden();
	await expect(danaPage.getByText('Your changes are saved on this device again.')).toBeVisible();
	await expect(status(danaPage)).toContainText('1 change waiting');

	// It is on the device now: reloaded with no connection, the edit is there.
	await danaPage.reload();
	await expect(shownValue(danaPage, 'Address')).toHaveText('Quota Town');
	// The dropped record stays in the list; it is fetched again when opened online.
	await danaPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(danaPage.getByRole('link', { name: cachedName })).toBeVisible();

	await danaPage.context().setOffline(false);
	await expect(status(danaPage)).toContainText('Synced', { timeout: 15_000 });
	await page.goto(editUrl);
	await expect(shownValue(page, 'Address')).toHaveText('Quota Town', {
		timeout: 15_000
	});
	await danaPage.getByRole('link', { name: cachedName }).click();
	await expect(danaPage.getByRole('heading', { name: cachedName, level: 1 })).toBeVisible({ timeout: 15_000 });
});

test('[§5] persistent storage is asked for after sign-in; the device page shows what is kept, used and free', async ({
	adminPage: page,
	newContext
}) => {
	const eli = uniqueStaff('Eli');
	await createStaffMember(page, eli);

	const context = await newContext();
	await context.addInitScript(recordPersistCalls);
	const eliPage = await context.newPage();
	await signIn(eliPage, eli);
	await expect
		.poll(() => eliPage.evaluate(() => (window as unknown as { __persistCalls: number }).__persistCalls))
		.toBe(1);

	await eliPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'This device' }).click();
	await expect(eliPage.getByRole('heading', { name: 'This device', level: 1 })).toBeVisible();
	const persisted = await eliPage.evaluate(() => navigator.storage.persisted());
	const panel = eliPage.getByRole('region', { name: 'Storage' });
	await expect(panel.getByRole('definition').nth(0)).toHaveText(persisted ? 'Yes' : 'No');
	await expect(panel.getByRole('definition').nth(1)).toHaveText(/^[\d.,]+\s?(byte|kB|MB|GB)/);
	await expect(panel.getByRole('definition').nth(2)).toHaveText(/^[\d.,]+\s?(kB|MB|GB|TB)/);
	if (!persisted) {
		await expect(panel).toContainText('Add to Home Screen');
		await panel.getByRole('button', { name: 'Ask the browser to keep the data' }).click();
		await expect(eliPage.getByText(/The browser (did not agree|keeps this device's data now)/)).toBeVisible();
		expect(await eliPage.evaluate(() => (window as unknown as { __persistCalls: number }).__persistCalls)).toBe(2);
	}
	await expect(eliPage.getByRole('region', { name: 'Changes not yet on the server' })).toContainText(
		'every change made on this device has reached the server'
	);
	await expectAccessible(eliPage, 'this device');
	await eliPage.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalScroll(eliPage);

	// A reload does not ask again (Firefox would prompt every time).
	await eliPage.reload();
	await expect(eliPage.getByRole('heading', { name: 'This device', level: 1 })).toBeVisible();
	await eliPage.waitForTimeout(500);
	expect(await eliPage.evaluate(() => (window as unknown as { __persistCalls: number }).__persistCalls)).toBe(0);
});

test('[§5] a change waiting past the threshold is called out; sign-out names it and keeps it for the next sign-in', async ({
	adminPage: page,
	newContext
}) => {
	const fin = uniqueStaff('Fin');
	await createStaffMember(page, fin);
	const name = `Waiting Co ${Date.now()}`;
	const url = await createCompany(page, name);
	await setAccess(page, 'Public (read and write)');

	const context = await newContext();
	// The server out of reach while the browser is online (a captive portal, a dead proxy).
	let serverReachable = true;
	await context.routeWebSocket(/\/(feed|sync)/, (ws) => {
		if (serverReachable) ws.connectToServer();
		else void ws.close();
	});
	const finPage = await context.newPage();
	await finPage.clock.install();
	await signIn(finPage, fin);
	await finPage.goto(url);
	await expect(finPage.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(status(finPage)).toContainText('Synced', { timeout: 15_000 });
	await goOffline(finPage);
	await editField(finPage, 'City', 'Waited Town');
	await expect(status(finPage)).toContainText('1 change waiting');
	const warning = finPage.getByRole('alert').filter({ hasText: 'are not on the server yet' });
	await expect(warning).toBeHidden();

	await finPage.clock.fastForward('25:00:00');
	await expect(warning).toContainText('waited 25 hours');
	await expect(warning).toContainText('Connect to the internet');
	await expect(status(finPage)).toContainText('oldest waiting 25 hours');
	await expectAccessible(finPage, 'customer page with the waiting-too-long warning');

	// Sign-out names the waiting change and needs a confirmation.
	await finPage.getByRole('button', { name: 'Sign out' }).click();
	const dialog = finPage.getByRole('dialog', { name: 'Sign out with changes not on the server?' });
	await expect(dialog.getByRole('listitem')).toHaveText([name]);
	await expectAccessible(finPage, 'sign-out confirmation');
	await dialog.getByRole('button', { name: 'Stay signed in' }).click();
	await expect(dialog).toBeHidden();
	await expect(finPage.getByRole('heading', { name, level: 1 })).toBeVisible();

	// Kept for the same user's next sign-in: it reaches the server then.
	serverReachable = false;
	await finPage.context().setOffline(false);
	await finPage.getByRole('button', { name: 'Sign out' }).click();
	await dialog.getByRole('button', { name: 'Sign out, keep them here' }).click();
	await expect(finPage.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	serverReachable = true;
	await signIn(finPage, fin);
	await expect(status(finPage)).toContainText('Synced', { timeout: 15_000 });
	await page.goto(url);
	await expect(shownValue(page, 'Address')).toHaveText('Waited Town', {
		timeout: 15_000
	});
});

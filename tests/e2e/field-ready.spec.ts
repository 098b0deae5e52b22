/**
 * Issue #14, items 7–10, as a user notices them: the sync status never misleads and the header
 * never overflows (7); no offline dead ends (8); own password, forgotten password and the first
 * admin's name (9); forms that state their rules and speak the user's language (10).
 */
import type { Page } from '@playwright/test';
import { createCompany, editField, goOffline } from './customers';
import {
	ADMIN,
	createStaffMember,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	signIn,
	test,
	uniqueStaff
} from './helpers';

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

/** Opens the phone menu when the navigation is behind it. */
async function openMenu(page: Page, label = 'Menu'): Promise<void> {
	const menu = page.getByRole('button', { name: label, expanded: false });
	if (await menu.isVisible()) await menu.click();
}

test('[§5] item 8: offline, admin pages say they need a connection, the language applies at once and reaches the account later, and signing out keeps unsaved changes', async ({
	page,
	newContext
}) => {
	const ida = uniqueStaff('Ida');
	await signIn(page, ADMIN);
	await createStaffMember(page, ida);

	// An admin offline: the Staff link says it needs a connection, and so does its page.
	const nav = page.getByRole('navigation', { name: 'Main navigation' });
	await nav.getByRole('link', { name: 'Overview' }).click();
	await whenControlled(page);
	await goOffline(page);
	await expect(nav.getByRole('link', { name: /Staff/ })).toContainText('needs a connection');
	await nav.getByRole('link', { name: /Staff/ }).click();
	await expect(page.getByRole('heading', { name: 'This page needs a connection', level: 1 })).toBeVisible();
	await expectAccessible(page, 'a server page offline');
	await page.reload(); // the installed app, reopened on that page offline
	await expect(page.getByRole('heading', { name: 'This page needs a connection', level: 1 })).toBeVisible();
	await page.context().setOffline(false);
	await page.getByRole('button', { name: 'Try again' }).click();
	await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();

	// Ida on her phone: an edit waits offline; she switches language and signs out with no connection.
	const phone = await (await newContext({ viewport: { width: 390, height: 844 } })).newPage();
	await signIn(phone, ida);
	const name = `Offline Abmeldung ${Date.now()}`;
	await openMenu(phone);
	const url = await createCompany(phone, name);
	await expect(status(phone)).toContainText('Synced', { timeout: 15_000 });
	await whenControlled(phone);
	await goOffline(phone);
	await editField(phone, 'City', 'Landsberg');
	await expect(status(phone)).toContainText('1 change waiting');

	await openMenu(phone);
	await phone.getByLabel('Language', { exact: true }).selectOption({ label: 'Deutsch' });
	await expect(phone.getByRole('button', { name: 'Menü' })).toBeVisible();
	const statusDe = phone.getByRole('status', { name: 'Synchronisierungsstatus' });
	await expect(statusDe).toContainText('Offline');
	await expect(statusDe).toContainText('1 Änderung');
	await openMenu(phone, 'Menü');
	await phone.getByRole('button', { name: 'Abmelden' }).click();
	const dialog = phone.getByRole('dialog', { name: 'Abmelden, obwohl Änderungen noch nicht auf dem Server sind?' });
	await expect(dialog).toContainText(name);
	await expect(dialog).toContainText('Sie sind offline');
	await dialog.getByRole('button', { name: 'Abmelden, hier behalten' }).click();
	await expect(phone.getByRole('heading', { name: 'Auf diesem Gerät abgemeldet', level: 1 })).toBeVisible();
	await expect(phone.getByRole('status')).toContainText('1 noch nicht gespeicherte Änderung bleibt auf diesem Gerät');
	await expect(phone.getByText('Die Anmeldung braucht eine Verbindung')).toBeVisible();
	await expectAccessible(phone, 'signed out offline');
	// The app opens for no one on this device now, also from a record's address.
	await phone.goto(url);
	await expect(phone.getByRole('heading', { name: 'Auf diesem Gerät abgemeldet', level: 1 })).toBeVisible();

	// Online again: the server's session ends, the language reached the account, and at the
	// next sign-in the waiting change is saved.
	await phone.context().setOffline(false);
	await phone.getByRole('link', { name: 'Erneut anmelden' }).click();
	await expect(phone.getByRole('heading', { name: 'Bei Fieldbook anmelden' })).toBeVisible();
	await expect.poll(async () => (await phone.request.get('/api/session')).status()).toBe(401);
	await phone.getByLabel('E-Mail').fill(ida.email);
	await phone.getByLabel('Passwort').fill(ida.password);
	await phone.getByRole('button', { name: 'Anmelden' }).click();
	await expect(statusDe).toContainText('Synchronisiert', { timeout: 15_000 });
	await phone.goto(url);
	await expect(phone.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(phone.getByRole('tabpanel')).toContainText('Landsberg');

	// Another browser: the account's language is German.
	const desk = await (await newContext({ viewport: { width: 1280, height: 800 } })).newPage();
	await signIn(desk, ida);
	await expect(desk.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
});

test('[§1] item 9: a staff member changes their own password; their other browser is signed out', async ({
	adminPage: page,
	newContext
}) => {
	const jo = uniqueStaff('Jo');
	await createStaffMember(page, jo);
	const desk = await (await newContext({ viewport: { width: 1280, height: 800 } })).newPage();
	await signIn(desk, jo);
	const phone = await (await newContext({ viewport: { width: 390, height: 844 } })).newPage();
	await signIn(phone, jo);

	await desk.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Your account' }).click();
	await expect(desk.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
	const form = desk.getByRole('region', { name: 'Change password' });
	await form.getByLabel('Current password').fill('not my password');
	await form.getByLabel('New password').fill('a brand new password');
	await form.getByRole('button', { name: 'Change password' }).click();
	await expect(form.getByRole('alert')).toHaveText('The current password is not correct.');
	await form.getByLabel('Current password').fill(jo.password);
	await form.getByLabel('New password').fill('a brand new password');
	await form.getByRole('button', { name: 'Change password' }).click();
	await expect(form.getByRole('status')).toHaveText('Your password was changed. Every other session was signed out.');
	await expectAccessible(desk, 'your account');

	// The phone's session ended: its sync status says so; this browser carries on.
	await expect(phone.getByRole('status', { name: 'Sync status' })).toContainText('Session ended', { timeout: 15_000 });
	await desk.reload();
	await expect(desk.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
	await signIn(phone, { email: jo.email, password: 'a brand new password' });
});

test('[§4] item 10: forms state their rules in the app’s words; Escape asks before discarding; dark mode; shortcuts', async ({
	adminPage: page
}) => {
	await page.setViewportSize({ width: 1280, height: 800 });

	// The installed app's shortcut opens the list with its create dialog.
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
		shortcuts: { name: string; url: string }[];
	};
	expect(manifest.shortcuts.map((s) => [s.name, s.url])).toEqual([
		['New company', '/companies?new=1'],
		['New person', '/persons?new=1']
	]);
	await page.goto('/companies?new=1');
	const dialog = page.getByRole('dialog', { name: 'Create Company' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByText('Fields marked * are required.')).toBeVisible();
	const name = dialog.getByLabel('Company name');
	await expect(name).toHaveAttribute('required', '');
	// The marker stands beside the label, so the field's name stays exactly "Company name".
	await expect(dialog.getByLabel('Company name', { exact: true })).toBeVisible();
	await expect(dialog.locator('label[for="company-name"] + .required-mark')).toHaveText('*');
	await expect(name).toHaveAccessibleDescription('At most 200 characters.');

	// Saving with the name empty: the app's message at the field (no browser tooltip).
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog.getByText('This field is required.')).toBeVisible();
	await expect(name).toBeFocused();
	expect(await name.evaluate((el) => (el as HTMLInputElement).form?.noValidate)).toBe(true);

	// Near the limit a counter appears; the limit itself is the schema's.
	await name.fill('Genossenschaft '.repeat(12));
	await expect(name).toHaveAccessibleDescription(/180 of 200 characters/);

	// Escape on a changed dialog asks; the question starts on its harmless button.
	await page.keyboard.press('Escape');
	const ask = page.getByRole('dialog', { name: 'Discard your changes?' });
	await expect(ask).toBeVisible();
	await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
	await expectAccessible(page, 'discard question');
	await ask.getByRole('button', { name: 'Keep editing' }).click();
	await expect(dialog).toBeVisible();
	await expect(name).toHaveValue('Genossenschaft '.repeat(12));
	await page.keyboard.press('Escape');
	await ask.getByRole('button', { name: 'Discard' }).click();
	await expect(dialog).toBeHidden();

	await page.goto('/persons?new=1');
	const person = page.getByRole('dialog', { name: 'Create Person' });
	await expect(person).toBeVisible();
	await expect(person.getByLabel('First name')).toHaveAccessibleDescription('At most 100 characters.');
	await page.keyboard.press('Escape'); // nothing typed: closes at once
	await expect(person).toBeHidden();

	// Dark mode follows the system, readable (axe checks contrast).
	await page.emulateMedia({ colorScheme: 'dark' });
	const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
	expect(background).toBe('rgb(18, 24, 27)');
	await expectAccessible(page, 'persons in dark mode');
	await page.goto('/companies?new=1');
	await expect(dialog).toBeVisible();
	await expectAccessible(page, 'create company in dark mode');
});

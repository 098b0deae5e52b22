/**
 * [§5] Local-first, end to end: two staff in two browser contexts see each other's edits and
 * presence live; one goes offline, keeps working (new company, two contacts, an edit to
 * another customer), reloads with no connection — the installed app opens with every record
 * — and on reconnect the other sees everything. Concurrent edits merge field by field.
 */
import { addContact, createCompany, editField, goOffline, setAccess, shownValue } from './customers';
import { ADMIN, createStaffMember, expect, signIn, test, uniqueStaff } from './helpers';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test('two staff edit live, one works offline and reloads offline, and everything converges', async ({
	page,
	newContext
}) => {
	// Set-up: a second staff member.
	const bea = uniqueStaff('Bea');
	await signIn(page, ADMIN);
	await createStaffMember(page, bea);
	const ada = page;

	const beaContext = await newContext();
	const beaPage = await beaContext.newPage();
	await signIn(beaPage, bea);

	// Both open one customer and see each other's edits and presence live.
	const acme = `Acme ${Date.now()}`;
	const acmeUrl = await createCompany(ada, acme);
	await setAccess(ada, 'Public (read and write)'); // new records are private to their managers
	await beaPage.goto(acmeUrl);
	await expect(beaPage.getByRole('heading', { name: acme, level: 1 })).toBeVisible();
	await expect(ada.getByRole('list', { name: 'Also viewing' }).getByText(bea.name)).toBeVisible();
	await editField(ada, 'Phone', '+49 30 1234567');
	await expect(shownValue(beaPage, 'Phone')).toHaveText('+49 30 1234567');
	await editField(beaPage, 'City', 'Berlin');
	await expect(shownValue(ada, 'Address')).toHaveText('Berlin');

	// Ada goes offline and keeps working.
	await goOffline(ada);
	await editField(ada, 'City', 'Potsdam'); // an edit to a customer the other has open
	await expect(ada.getByRole('status', { name: 'Sync status' })).toContainText('1 change waiting');
	const offlineCo = `Offline GmbH ${Date.now()}`;
	const offlineUrl = await createCompany(ada, offlineCo);
	await setAccess(ada, 'Public (read)');
	await addContact(ada, 'Olga', 'Erste', { email: `olga.${Date.now()}@example.com` });
	await addContact(ada, 'Otto', 'Zweiter');
	// [§2] the first contact is primary, and its box cannot be unticked
	await ada.getByRole('button', { name: /Edit .*Olga Erste/ }).click();
	const edit = ada.getByRole('dialog', { name: 'Edit contact' });
	await expect(edit.getByLabel('Primary contact')).toBeChecked();
	await expect(edit.getByLabel('Primary contact')).toBeDisabled();
	await edit.getByRole('button', { name: 'Close' }).click();
	await expect(edit).toBeHidden();

	// The other staff member sees none of it yet.
	await beaPage.waitForTimeout(1000);
	await expect(shownValue(beaPage, 'Address')).toHaveText('Berlin');

	// Reload with no connection: the installed app opens and every record is there.
	await ada.reload();
	await expect(ada.getByRole('heading', { name: offlineCo, level: 1 })).toBeVisible();
	await ada.getByRole('tab', { name: 'Contacts' }).click();
	await expect(ada.getByRole('tabpanel').getByText('Olga Erste')).toBeVisible();
	await expect(ada.getByRole('tabpanel').getByText('Otto Zweiter')).toBeVisible();
	await ada.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(ada.getByRole('link', { name: acme })).toBeVisible();
	await expect(ada.getByRole('link', { name: offlineCo })).toBeVisible();

	// Back online: the other sees everything.
	await ada.context().setOffline(false);
	await expect(ada.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
	await expect(shownValue(beaPage, 'Address')).toHaveText('Potsdam', {
		timeout: 15_000
	});
	await beaPage.goto(offlineUrl);
	await expect(beaPage.getByRole('heading', { name: offlineCo, level: 1 })).toBeVisible();
	await beaPage.getByRole('tab', { name: 'Contacts' }).click();
	await expect(beaPage.getByRole('tabpanel').getByText('Olga Erste')).toBeVisible();
	await expect(beaPage.getByRole('tabpanel').getByText('Otto Zweiter')).toBeVisible();
});

test('concurrent offline edits: different fields both survive, the same field ends equal everywhere', async ({
	page,
	newContext
}) => {
	const cai = uniqueStaff('Cai');
	await signIn(page, ADMIN);
	await createStaffMember(page, cai);
	const caiContext = await newContext();
	const caiPage = await caiContext.newPage();
	await signIn(caiPage, cai);

	const name = `Merge KG ${Date.now()}`;
	const url = await createCompany(page, name);
	await setAccess(page, 'Public (read and write)');
	await caiPage.goto(url);
	await expect(caiPage.getByRole('heading', { name, level: 1 })).toBeVisible();

	await goOffline(page);
	await goOffline(caiPage);
	await editField(page, 'Phone', '+33 1 11 11 11 11');
	await editField(caiPage, 'Street', 'Rue de la Paix 1');
	await editField(page, 'Country', 'France');
	await editField(caiPage, 'Country', 'Belgium');
	await page.context().setOffline(false);
	await caiPage.context().setOffline(false);

	for (const p of [page, caiPage]) {
		await expect(shownValue(p, 'Phone')).toHaveText('+33 1 11 11 11 11', { timeout: 15_000 });
		// The address shows one part per line: street, then country.
		await expect(shownValue(p, 'Address')).toHaveText(/^Rue de la Paix 1,\s(France|Belgium)\s*$/, { timeout: 15_000 });
	}
	const a = ((await shownValue(page, 'Address').textContent()) ?? '').split(',').at(-1)?.trim() ?? '';
	await expect(shownValue(caiPage, 'Address')).toHaveText(`Rue de la Paix 1, ${a}`, {
		timeout: 15_000
	});
	expect(['France', 'Belgium']).toContain(a);
});

test('a session that ends while offline keeps every pending change and asks to sign in again', async ({
	adminPage: page,
	newContext
}) => {
	const dan = uniqueStaff('Dan');
	await createStaffMember(page, dan);
	const danPage = await (await newContext()).newPage();
	await signIn(danPage, dan);
	const name = `Session SA ${Date.now()}`;
	const url = await createCompany(danPage, name);
	await expect(danPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await goOffline(danPage);
	await editField(danPage, 'City', 'Lyon');
	await expect(danPage.getByRole('status', { name: 'Sync status' })).toContainText('1 change waiting');

	// Meanwhile an admin resets Dan's password, which ends all of Dan's sessions.
	await page.goto('/admin/staff');
	const row = page.getByRole('table', { name: 'Staff members' }).getByRole('row').filter({ hasText: dan.email });
	await row.getByRole('button', { name: 'Reset password' }).click();
	const newPassword = `${dan.password}-new`;
	await row.getByLabel(`New password for ${dan.name}`).fill(newPassword);
	await row.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByRole('main').getByRole('status')).toContainText('was changed');

	await danPage.context().setOffline(false);
	const status = danPage.getByRole('status', { name: 'Sync status' });
	await expect(status).toContainText('sign in again', { timeout: 15_000 });
	await status.getByRole('link', { name: 'Sign in again' }).click();
	await expect(danPage.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await danPage.getByLabel('E-mail').fill(dan.email);
	await danPage.getByLabel('Password').fill(newPassword);
	await danPage.getByRole('button', { name: 'Sign in' }).click();
	await expect(danPage.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(danPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await page.goto(url);
	await expect(shownValue(page, 'Address')).toHaveText('Lyon', { timeout: 15_000 });
});

/**
 * [§2][§8] The server is the authority, and nothing typed is silently lost: an edit made
 * offline to a record that became read-only meanwhile is refused, kept in "Changes not saved"
 * with the reason, and the record shows the server's state; a record whose access is revoked
 * leaves the device.
 */
import { createCompany, editField, goOffline, openSection, setAccess, shownValue } from './customers';
import { createStaffMember, expect, expectAccessible, signIn, test, uniqueStaff } from './helpers';

test.setTimeout(120_000);

test('an offline edit to a record made read-only meanwhile lands in "Changes not saved"; revoked access removes the record', async ({
	adminPage: page,
	newContext
}) => {
	const fay = uniqueStaff('Fay');
	await createStaffMember(page, fay);
	const name = `Revoke Co ${Date.now()}`;
	const url = await createCompany(page, name);
	await setAccess(page, 'Public (read and write)');

	const fayPage = await (await newContext()).newPage();
	await signIn(fayPage, fay);
	await fayPage.goto(url);
	await expect(fayPage.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(fayPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	// Fay edits offline; meanwhile the manager makes the record read-only for others.
	await goOffline(fayPage);
	await editField(fayPage, 'City', 'Offline Town');
	await expect(fayPage.getByRole('status', { name: 'Sync status' })).toContainText('1 change waiting');
	await setAccess(page, 'Public (read)');
	await editField(page, 'Phone', '+48 22 555 01 01');

	// Back online: the edit is refused, kept for Fay with the reason; the record is the server's.
	await fayPage.context().setOffline(false);
	const link = fayPage.getByRole('link', { name: '1 change not saved' });
	await expect(link).toBeVisible({ timeout: 15_000 });
	await expect(shownValue(fayPage, 'Phone')).toHaveText('+48 22 555 01 01', { timeout: 15_000 });
	// No address part is set on the server: the view shows none (the refused City is gone).
	await expect(shownValue(fayPage, 'Address')).toHaveCount(0);
	await expect(fayPage.getByRole('tabpanel')).not.toContainText('Offline Town');
	await expect(fayPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await link.click();
	await expect(fayPage.getByRole('heading', { name: 'Changes not saved', level: 1 })).toBeVisible();
	const entry = fayPage.getByRole('article', { name });
	await expect(entry.getByRole('note')).toContainText('You may not make this change');
	await expect(entry.getByRole('definition')).toContainText(['Offline Town']);
	await expect(entry.getByRole('term')).toContainText(['City']);
	await expectAccessible(fayPage, 'changes not saved');
	await entry.getByRole('button', { name: `Dismiss the changes to ${name}` }).click();
	await expect(fayPage.getByText('Nothing here: every change made on this device was saved.')).toBeVisible();
	await expect(fayPage.getByRole('link', { name: /not saved/ })).toBeHidden();

	// The manager makes it private: it leaves Fay's device (lists work from the device).
	await fayPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(fayPage.getByRole('link', { name })).toBeVisible();
	await setAccess(page, 'Private');
	await expect(fayPage.getByRole('link', { name })).toBeHidden({ timeout: 10_000 });
	await fayPage.reload();
	await expect(fayPage.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
	await expect(fayPage.getByRole('link', { name })).toBeHidden();
});

test('a staff user who changed access offline, no longer managing the record meanwhile, finds the change in "Changes not saved"', async ({
	adminPage: page,
	newContext
}) => {
	const gus = uniqueStaff('Gus');
	await createStaffMember(page, gus);
	const name = `Demoted AG ${Date.now()}`;
	const url = await createCompany(page, name);
	await setAccess(page, 'Public (read and write)');
	await openSection(page, 'Access and managers');
	const managers = page.getByRole('tabpanel').getByRole('group', { name: 'Managers' });
	await managers.getByLabel('Add a manager').selectOption({ label: gus.name });
	await managers.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(managers.getByRole('listitem').filter({ hasText: gus.name })).toBeVisible();

	const gusPage = await (await newContext()).newPage();
	await signIn(gusPage, gus);
	await gusPage.goto(url);
	await expect(gusPage.getByRole('heading', { name, level: 1 })).toBeVisible();
	const gusManagers = gusPage.getByRole('tabpanel').getByRole('group', { name: 'Managers' });
	await expect(gusManagers.getByRole('listitem').filter({ hasText: gus.name })).toBeVisible();
	await expect(gusPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	// Gus, still a manager on his device, makes the record read-only while offline...
	await goOffline(gusPage);
	await setAccess(gusPage, 'Public (read)');
	// ...while the admin removes him from its managers.
	await managers.getByRole('button', { name: `Remove ${gus.name} as manager` }).click();
	await expect(managers.getByRole('listitem').filter({ hasText: gus.name })).toBeHidden();

	await gusPage.context().setOffline(false);
	await expect(gusPage.getByRole('link', { name: '1 change not saved' })).toBeVisible({ timeout: 15_000 });
	// The record is the server's again: still public read and write, Gus no longer a manager.
	await expect(shownValue(gusPage, 'Access')).toHaveText('Public (read and write)');
	await expect(gusPage.getByRole('button', { name: 'Edit Access and managers' })).toHaveCount(0);
	await gusPage.getByRole('link', { name: '1 change not saved' }).click();
	const entry = gusPage.getByRole('article', { name });
	await expect(entry.getByRole('note')).toContainText('only its managers may change this');
	await expect(entry.getByRole('term')).toContainText(['Access']);
	await expect(entry.getByRole('definition')).toContainText(['Public (read)']);
});

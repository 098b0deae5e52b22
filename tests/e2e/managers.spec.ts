/**
 * [§2][§4] Managers and access on create and edit: an admin adds a staff member as manager of a
 * company on its page; that staff member finds it under "My customers", also offline. Making a
 * record public preselects read only, public records carry the mark in lists, and a staff
 * member who does not manage a record sees its access and managers but cannot change them.
 */
import type { Page } from '@playwright/test';
import { openSection, shownValue } from './customers';
import { createStaffMember, expect, expectAccessible, signIn, test, uniqueStaff } from './helpers';

test.setTimeout(120_000);

async function openCompanies(page: Page): Promise<void> {
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
}

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

test('an admin adds a manager on the customer page; the manager sees it under "My customers", also offline', async ({
	adminPage: page,
	newContext
}) => {
	const bea = uniqueStaff('Bea');
	await createStaffMember(page, bea);

	// A private company (the default), and a public one made public in the Create dialog.
	const acme = `Managed AG ${Date.now()}`;
	const other = `Open SE ${Date.now()}`;
	await openCompanies(page);
	await page.getByRole('button', { name: 'Create Company' }).click();
	let dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(other);
	const access = dialog.getByRole('group', { name: 'Access', exact: true });
	await expect(access.getByRole('checkbox', { name: 'Public', exact: true })).not.toBeChecked();
	await access.getByRole('checkbox', { name: 'Public', exact: true }).check();
	// [§4] making a record public preselects read only
	await expect(access.getByRole('radio', { name: 'Read only' })).toBeChecked();
	await expect(access.getByRole('radio', { name: 'Read and write' })).not.toBeChecked();
	await dialog.getByRole('button', { name: 'Save and create new' }).click();
	await expect(dialog.getByText(`Company “${other}” was created.`)).toBeVisible();

	dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(acme);
	await expect(dialog.getByRole('checkbox', { name: 'Public', exact: true })).not.toBeChecked();
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name: acme, level: 1 })).toBeVisible();
	const acmeUrl = page.url();

	// The author is the one manager; the last manager cannot be removed, and the page says why.
	await openSection(page, 'Access and managers');
	const managers = page.getByRole('tabpanel').getByRole('group', { name: 'Managers' });
	await expect(managers.getByRole('listitem')).toHaveCount(1);
	const removeLast = managers.getByRole('button', { name: /^Remove .* as manager$/ });
	await expect(removeLast).toBeDisabled();
	await expect(removeLast).toHaveAccessibleDescription(/at least one manager/);

	// Bea is added by name.
	await managers.getByLabel('Add a manager').selectOption({ label: bea.name });
	await managers.getByRole('button', { name: 'Add', exact: true }).click();
	await expect(managers.getByRole('listitem').filter({ hasText: bea.name })).toBeVisible();
	await expect(managers.getByRole('listitem')).toHaveCount(2);
	await expect(managers.getByRole('button', { name: `Remove ${bea.name} as manager` })).toBeEnabled();
	await expectAccessible(page, 'the customer page with two managers');
	await expectSynced(page);

	// Bea signs in: the company she manages is under "My customers", the public one only under all.
	const beaPage = await (await newContext()).newPage();
	await signIn(beaPage, bea);
	await openCompanies(beaPage);
	await expect(beaPage.getByRole('link', { name: acme })).toBeVisible({ timeout: 15_000 });
	const otherRow = beaPage.getByRole('row').filter({ has: beaPage.getByRole('link', { name: other }) });
	await expect(otherRow.getByRole('img', { name: 'Public' })).toBeVisible({ timeout: 15_000 });
	await beaPage.getByLabel('Manager', { exact: true }).selectOption({ label: 'My customers' });
	await expect(beaPage.getByRole('link', { name: acme })).toBeVisible();
	await expect(beaPage.getByRole('link', { name: other })).toBeHidden();
	await beaPage.getByRole('link', { name: acme }).click();
	const beaManagers = beaPage.getByRole('tabpanel').getByRole('group', { name: 'Managers' });
	await expect(beaManagers.getByRole('listitem').filter({ hasText: bea.name })).toContainText('(you)');
	await expectSynced(beaPage);

	// Offline, the filter works from the device's own index.
	await beaPage.context().setOffline(true);
	await expect(beaPage.getByRole('status', { name: 'Sync status' })).toContainText(/Offline|changes? waiting/);
	await openCompanies(beaPage);
	await beaPage.getByLabel('Manager', { exact: true }).selectOption({ label: 'My customers' });
	await expect(beaPage.getByRole('link', { name: acme })).toBeVisible();
	await expect(beaPage.getByRole('link', { name: other })).toBeHidden();
	await beaPage.getByLabel('Manager', { exact: true }).selectOption({ label: 'All customers' });
	await expect(beaPage.getByRole('link', { name: other })).toBeVisible();
	await beaPage.context().setOffline(false);
	await expectSynced(beaPage);

	// On the public record she does not manage, access and managers are shown but not offered.
	await beaPage.getByRole('link', { name: other }).click();
	await expect(beaPage.getByRole('heading', { name: other, level: 1 })).toBeVisible();
	const panel = beaPage.getByRole('tabpanel');
	await expect(panel.getByText('Only its managers and admins change its access and managers.')).toBeVisible();
	await expect(shownValue(beaPage, 'Access')).toHaveText('Public (read)');
	await expect(panel.getByRole('button', { name: 'Edit Access and managers' })).toHaveCount(0);
	await expect(panel.getByRole('checkbox', { name: 'Public', exact: true })).toHaveCount(0);
	const otherManagers = panel.getByRole('group', { name: 'Managers' });
	await expect(otherManagers.getByRole('listitem')).toHaveCount(1);
	await expect(otherManagers.getByRole('button')).toHaveCount(0);
	await expect(otherManagers.getByLabel('Add a manager')).toHaveCount(0);
	await expectAccessible(beaPage, 'a public customer page seen by a staff member who does not manage it');

	// The admin still sees Bea among the managers of the first company.
	await page.goto(acmeUrl);
	await expect(
		page
			.getByRole('tabpanel')
			.getByRole('group', { name: 'Managers' })
			.getByRole('listitem')
			.filter({ hasText: bea.name })
	).toBeVisible();
});

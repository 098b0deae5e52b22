/**
 * Additional fields (issue #13 item 1) as users meet them: an admin defines fields in
 * Settings, staff fill them on a record (offline too), the list shows them as columns and
 * filters by them; a field changed meanwhile keeps every value, flagged; a removed field's
 * values come back when it is restored. Fields are named per test (other tests run beside).
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { closeSection, createCompany, goOffline, openSection, shownValue } from './customers';
import { createStaffMember, expect, expectAccessible, signIn, test, uniqueStaff } from './helpers';

test.setTimeout(120_000);

const settingsSection = (page: Page) => page.getByRole('region', { name: 'Additional fields' });

async function addField(
	page: Page,
	field: { label: string; type: string; for?: 'Companies' | 'Persons'; options?: string }
): Promise<void> {
	if (!page.url().endsWith('/settings')) await page.goto('/settings');
	const section = settingsSection(page);
	const form = section.getByRole('button', { name: 'Add field' }).locator('xpath=ancestor::form');
	await form.getByLabel('Label').fill(field.label);
	await form.getByLabel('Type').selectOption({ label: field.type });
	await form.getByLabel('Used for').selectOption({ label: field.for ?? 'Companies' });
	if (field.options) await form.getByLabel('Options (one per line)').fill(field.options);
	await form.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('status').filter({ hasText: `“${field.label}” was added.` })).toBeVisible();
}

async function removeField(page: Page, label: string): Promise<void> {
	if (!page.url().endsWith('/settings')) await page.goto('/settings');
	await settingsSection(page)
		.getByRole('button', { name: `Remove ${label}`, exact: true })
		.click();
	await expect(page.getByRole('status').filter({ hasText: `“${label}” was removed.` })).toBeVisible();
}

test('an admin defines fields, fills them on a company, and lists, filters, removes and restores them', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const region = `Region ${stamp}`;
	const tier = `Tier ${stamp}`;
	await addField(page, { label: region, type: 'Text' });
	await addField(page, { label: tier, type: 'Select list', options: 'Gold\nSilver' });
	await expect(settingsSection(page).getByRole('list', { name: 'Company fields' })).toContainText(region);
	await expectAccessible(page, 'Settings with additional fields');

	const company = `Fields Co ${stamp}`;
	const url = await createCompany(page, company);
	const section = await openSection(page, 'Additional fields');
	await section.getByLabel(region, { exact: true }).fill('North coast');
	await section.getByLabel(tier, { exact: true }).selectOption('Gold');
	await closeSection(page, 'Additional fields');
	await expect(shownValue(page, region)).toHaveText('North coast');
	await expect(shownValue(page, tier)).toHaveText('Gold');

	// The list: the field as a column, and a filter on the select list.
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await page.getByText('Additional columns').click();
	await page.getByRole('checkbox', { name: region, exact: true }).check();
	const table = page.getByRole('table', { name: 'Companies' });
	await expect(table.getByRole('columnheader', { name: region })).toBeVisible();
	await page.getByLabel('Search').fill(company);
	await expect(table.getByRole('row').filter({ hasText: company })).toContainText('North coast');
	await page.getByLabel(`Filter: ${tier}`).selectOption('Silver');
	await expect(table.getByRole('row').filter({ hasText: company })).toHaveCount(0);
	await page.getByLabel(`Filter: ${tier}`).selectOption('Gold');
	await expect(table.getByRole('row').filter({ hasText: company })).toHaveCount(1);
	await expect(page).toHaveURL(/cols=/);

	// The export: the list as filtered, with a column per field.
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
	await page.getByRole('button', { name: 'Export this list' }).click();
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'CSV (comma)' }).click();
	const csv = fs
		.readFileSync((await (await downloading).path())!, 'utf8')
		.slice(1)
		.trimEnd()
		.split('\r\n');
	expect(csv).toHaveLength(2);
	const header = csv[0].split(',');
	expect(csv[1].split(',')[header.indexOf(region)]).toBe('North coast');
	expect(csv[1].split(',')[header.indexOf(tier)]).toBe('Gold');

	// Removed: hidden from the record; restored: back with its value.
	await removeField(page, region);
	await page.goto(url);
	await expect(shownValue(page, tier)).toHaveText('Gold');
	await expect(page.getByRole('tabpanel').getByText(region)).toHaveCount(0);
	await page.goto('/settings');
	await settingsSection(page)
		.getByRole('button', { name: `Restore ${region}`, exact: true })
		.click();
	await page.goto(url);
	await expect(shownValue(page, region)).toHaveText('North coast');

	await removeField(page, region);
	await removeField(page, tier);
});

test('a value typed offline survives a type change made meanwhile, flagged', async ({
	adminPage: page,
	newContext
}) => {
	const stamp = Date.now();
	const size = `Size ${stamp}`;
	const staff = uniqueStaff('Fay');
	await createStaffMember(page, staff);
	await addField(page, { label: size, type: 'Text' });

	const fayPage = await (await newContext()).newPage();
	await signIn(fayPage, staff);
	const company = `Offline Fields ${stamp}`;
	const url = await createCompany(fayPage, company);
	await expect(section(fayPage)).toBeVisible();

	await goOffline(fayPage);
	const edit = await openSection(fayPage, 'Additional fields');
	await edit.getByLabel(size, { exact: true }).fill('about 40');
	await closeSection(fayPage, 'Additional fields');
	await expect(shownValue(fayPage, size)).toHaveText('about 40');

	// Meanwhile the admin makes it a number.
	await settingsSection(page)
		.getByRole('button', { name: `Edit ${size}`, exact: true })
		.click();
	await settingsSection(page).getByLabel('Type').first().selectOption({ label: 'Number' });
	await settingsSection(page).getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: `“${size}” was saved.` })).toBeVisible();

	await fayPage.context().setOffline(false);
	await expect(fayPage.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
	await expect(shownValue(fayPage, size)).toContainText('about 40');
	await expect(shownValue(fayPage, size)).toContainText('Not a number any more', { timeout: 15_000 });

	// The server kept it: the admin sees the same, and fixing it clears the flag.
	await page.goto(url);
	await expect(shownValue(page, size)).toContainText('about 40');
	await expect(shownValue(page, size)).toContainText('Not a number any more');
	const fix = await openSection(page, 'Additional fields');
	await expect(fix.getByText('Not a number any more. Kept as entered; edit it to fix it.')).toBeVisible();
	await fix.getByLabel(size, { exact: true }).fill('40');
	await closeSection(page, 'Additional fields');
	await expect(shownValue(page, size)).toHaveText('40');

	await removeField(page, size);
});

const section = (page: Page) =>
	page.getByRole('tabpanel').getByRole('region', { name: 'Additional fields', exact: true });

test('fields on Create Company and person fields in the contact dialog', async ({ adminPage: page }) => {
	const stamp = Date.now();
	const since = `Customer since ${stamp}`;
	const newsletter = `Newsletter ${stamp}`;
	const shoe = `Shoe size ${stamp}`;
	await addField(page, { label: since, type: 'Date' });
	await addField(page, { label: newsletter, type: 'Checkbox', for: 'Persons' });
	await addField(page, { label: shoe, type: 'Number', for: 'Persons' });

	await page.goto('/companies');
	await page.getByRole('button', { name: 'Create Company' }).click();
	const create = page.getByRole('dialog');
	const company = `Created With Fields ${stamp}`;
	await create.getByLabel('Company name').fill(company);
	await create.getByLabel(since, { exact: true }).fill('2024-05-01');
	await create.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
	await expect(shownValue(page, since)).toHaveText('2024-05-01');

	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	await dialog.getByLabel('First name', { exact: true }).fill('Nina');
	await dialog.getByLabel('Last name', { exact: true }).fill(`Fields${stamp}`);
	await dialog.getByRole('checkbox', { name: newsletter, exact: true }).check();
	await dialog.getByLabel(shoe, { exact: true }).fill('forty');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	// A value that is not a number is refused on the device, with the reason; nothing is saved yet.
	await expect(dialog.getByText('Enter a number, e.g. 1234.5.')).toBeVisible();
	await expect(dialog.getByLabel(shoe, { exact: true })).toBeFocused();
	await expectAccessible(page, 'the contact dialog with additional fields');
	await dialog.getByLabel(shoe, { exact: true }).fill('38,5');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();

	await page.getByRole('button', { name: new RegExp(`Edit .*Nina Fields${stamp}`) }).click();
	const edit = page.getByRole('dialog', { name: 'Edit contact' });
	await expect(edit.getByRole('checkbox', { name: newsletter, exact: true })).toBeChecked();
	await expect(edit.getByLabel(shoe, { exact: true })).toHaveValue('38.5');
	await edit.getByRole('button', { name: 'Close' }).click();

	for (const label of [since, newsletter, shoe]) await removeField(page, label);
});

/** Customer-page steps shared by the e2e specs, finding controls by the names SPEC uses. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './helpers';

/** Creates a company through the Companies page and opens it; returns its URL. */
export async function createCompany(page: Page, name: string): Promise<string> {
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	// The Overview has a "Create Company" button too: wait until the list is the page shown.
	await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Company name').fill(name);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	return page.url();
}

export async function addContact(
	page: Page,
	first: string,
	last: string,
	extra: { email?: string } = {}
): Promise<void> {
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	await dialog.getByLabel('First name', { exact: true }).fill(first);
	await dialog.getByLabel('Last name', { exact: true }).fill(last);
	if (extra.email) await dialog.getByLabel('E-mail', { exact: true }).fill(extra.email);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('tabpanel').getByText(`${first} ${last}`)).toBeVisible();
}

/** The section of the Details tab a customer field is edited in. */
const SECTION_OF: Record<string, string> = {
	'Company name': 'General',
	Description: 'General',
	'E-mail': 'E-mail, phone and web',
	Phone: 'E-mail, phone and web',
	Website: 'E-mail, phone and web',
	Street: 'Address',
	City: 'Address',
	State: 'Address',
	'Postal code': 'Address',
	Country: 'Address'
};

/** A section of the Details tab (a region named by its heading). */
export function section(page: Page, name: string): Locator {
	return page.getByRole('tabpanel').getByRole('region', { name, exact: true });
}

/** Opens a section of the Details tab for editing ("Edit <section>"); returns the section. */
export async function openSection(page: Page, name: string): Promise<Locator> {
	await page.getByRole('tab', { name: 'Details' }).click();
	const region = section(page, name);
	await region.getByRole('button', { name: `Edit ${name}`, exact: true }).click();
	await expect(region.getByRole('button', { name: 'Done', exact: true })).toBeVisible();
	return region;
}

/** Closes a section's edit mode ("Done"): back to the view. */
export async function closeSection(page: Page, name: string): Promise<void> {
	const region = section(page, name);
	await region.getByRole('button', { name: 'Done', exact: true }).click();
	await expect(region.getByRole('button', { name: `Edit ${name}`, exact: true })).toBeVisible();
}

/**
 * A value as the Details view shows it, found by its label ("Phone", "Access"); the address is
 * one value, "Address", one line per part.
 */
export function shownValue(page: Page, label: string): Locator {
	return page
		.getByRole('tabpanel')
		.getByRole('definition')
		.and(page.getByLabel(label, { exact: true }));
}

/** Sets who may see and edit the customer (SPEC §2 access: "Public", then read only or read and write). */
export async function setAccess(
	page: Page,
	option: 'Private' | 'Public (read)' | 'Public (read and write)'
): Promise<void> {
	const region = await openSection(page, 'Access and managers');
	const access = region.getByRole('group', { name: 'Access', exact: true });
	const isPublic = access.getByRole('checkbox', { name: 'Public', exact: true });
	if (option === 'Private') await isPublic.uncheck();
	else {
		await isPublic.check();
		await access.getByRole('radio', { name: option === 'Public (read)' ? 'Read only' : 'Read and write' }).check();
	}
	await closeSection(page, 'Access and managers');
	await expect(shownValue(page, 'Access')).toHaveText(option);
}

/**
 * Edits a customer field in its section ("Edit" → type → leave the field, which saves it →
 * "Done"); a list (the country) is chosen from by the option's name.
 */
export async function editField(page: Page, label: string, value: string): Promise<void> {
	const name = SECTION_OF[label];
	const region = await openSection(page, name);
	const field = region.getByLabel(label, { exact: true });
	if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption({ label: value });
	else await field.fill(value);
	await field.blur();
	await closeSection(page, name);
}

export async function goOffline(page: Page): Promise<void> {
	// setOffline does not cut open WebSockets (playwright#4910): the app drops them itself on
	// the browser's offline event, which setOffline fires.
	await page.context().setOffline(true);
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText(/Offline|changes waiting/);
}

/** Customer-page steps shared by the e2e specs, finding controls by the names SPEC uses. */
import type { Page } from '@playwright/test';
import { expect } from './helpers';

/** Creates a company through the Companies page and opens it; returns its URL. */
export async function createCompany(page: Page, name: string): Promise<string> {
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
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

/** Sets who may see and edit the customer (SPEC §2 access: "Public", then read only or read and write). */
export async function setAccess(
	page: Page,
	option: 'Private' | 'Public (read)' | 'Public (read and write)'
): Promise<void> {
	await page.getByRole('tab', { name: 'Details' }).click();
	const access = page.getByRole('tabpanel').getByRole('group', { name: 'Access', exact: true });
	const isPublic = access.getByRole('checkbox', { name: 'Public', exact: true });
	if (option === 'Private') return isPublic.uncheck();
	await isPublic.check();
	await access.getByRole('radio', { name: option === 'Public (read)' ? 'Read only' : 'Read and write' }).check();
}

/** Edits a customer field in place (Details tab) and leaves it, which saves it. */
export async function editField(page: Page, label: string, value: string): Promise<void> {
	await page.getByRole('tab', { name: 'Details' }).click();
	const field = page.getByRole('tabpanel').getByLabel(label, { exact: true });
	await field.fill(value);
	await field.blur();
}

export async function goOffline(page: Page): Promise<void> {
	// setOffline does not cut open WebSockets (playwright#4910): the app drops them itself on
	// the browser's offline event, which setOffline fires.
	await page.context().setOffline(true);
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText(/Offline|changes waiting/);
}

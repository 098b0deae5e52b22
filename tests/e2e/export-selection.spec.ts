/**
 * [§4] Export a selection from the Persons list as one vCard (issue #13 item 4): rows ticked
 * by their accessible names, "Select all in view", and the file downloaded holds exactly the
 * contacts selected.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';

test.setTimeout(90_000);

async function createPerson(page: Page, first: string, last: string): Promise<void> {
	await page.goto('/persons');
	await page.getByRole('button', { name: 'Create Person' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Person' });
	await dialog.getByLabel('First name').fill(first);
	await dialog.getByLabel('Last name').fill(last);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name: `${first} ${last}`, level: 1 })).toBeVisible();
}

async function download(page: Page): Promise<string> {
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export selection as vCard' }).click();
	const file = await downloading;
	expect(file.suggestedFilename()).toMatch(/^contacts-selection-\d{4}-\d{2}-\d{2}\.vcf$/);
	return fs.readFileSync((await file.path())!, 'utf8');
}

const names = (vcf: string) => [...vcf.matchAll(/^FN:(.*)\r$/gm)].map((m) => m[1]).sort();

test('selected persons are exported as one vCard file; "Select all in view" ticks the rows shown', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const last = `Pick${stamp}`;
	for (const first of ['Ada', 'Bea', 'Cleo']) await createPerson(page, first, last);
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await page.goto('/persons');
	await page.getByRole('searchbox', { name: 'Search' }).fill(last);
	const table = page.getByRole('table', { name: 'Persons' });
	await expect(table.locator('tbody tr')).toHaveCount(3);
	await table.getByRole('checkbox', { name: `Select Ada ${last}` }).check();
	await table.getByRole('checkbox', { name: `Select Cleo ${last}` }).check();
	await expect(page.getByText('Selected: 2')).toBeVisible();
	await expectAccessible(page, 'the Persons list with a selection');
	expect(names(await download(page))).toEqual([`Ada ${last}`, `Cleo ${last}`]);
	await expect(page.getByText('Contacts exported as vCard: 2.')).toBeVisible();

	await page.getByRole('checkbox', { name: 'Select all in view' }).check();
	await expect(table.getByRole('checkbox', { name: `Select Bea ${last}` })).toBeChecked();
	expect(names(await download(page))).toEqual([`Ada ${last}`, `Bea ${last}`, `Cleo ${last}`]);

	await page.getByRole('button', { name: 'Clear selection' }).click();
	await expect(table.getByRole('checkbox', { name: `Select Ada ${last}` })).not.toBeChecked();
	await expect(page.getByRole('button', { name: 'Export selection as vCard' })).toBeHidden();

	await page.setViewportSize({ width: 390, height: 844 });
	await table.getByRole('checkbox', { name: `Select Bea ${last}` }).check();
	await expectNoHorizontalScroll(page);
	expect(names(await download(page))).toEqual([`Bea ${last}`]);
});

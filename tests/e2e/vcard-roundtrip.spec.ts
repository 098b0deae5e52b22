/**
 * [§4] vCard out and in again (issue #13 items 1, 2 and 4): a contact with labelled e-mails
 * and phones, a birthday and an additional field value is exported as a selection from the
 * Persons list, and that very file imported through the Import page matches the contact
 * (nothing created, nothing to change) and leaves every value as it was. And the Create
 * Company dialog says what is wrong when the only bad value is an additional field's.
 * Fields are named per test, none of them required (other tests create companies beside).
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { addContact, createCompany } from './customers';
import { expect, test } from './helpers';

test.setTimeout(120_000);

async function addField(page: Page, field: { label: string; type: string; for: 'Companies' | 'Persons' }) {
	await page.goto('/settings');
	const section = page.getByRole('region', { name: 'Additional fields' });
	const form = section.getByRole('button', { name: 'Add field' }).locator('xpath=ancestor::form');
	await form.getByLabel('Label').fill(field.label);
	await form.getByLabel('Type').selectOption({ label: field.type });
	await form.getByLabel('Used for').selectOption({ label: field.for });
	await form.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('status').filter({ hasText: `“${field.label}” was added.` })).toBeVisible();
}

test('a contact exported as vCard and imported again: matched, nothing new, every value kept', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const last = `Karte${stamp}`;
	const company = `Kartenhaus ${stamp} GmbH`;
	const badge = `Badge ${stamp}`;
	const work = `vera.${stamp}@work.vcard-e2e.example`;
	const home = `vera.${stamp}@home.vcard-e2e.example`;
	await addField(page, { label: badge, type: 'Text', for: 'Persons' });
	await createCompany(page, company);
	await addContact(page, 'Vera', last, { email: work });

	await page.getByRole('button', { name: `Edit Vera ${last}` }).click();
	const edit = page.getByRole('dialog', { name: 'Edit contact' });
	await edit.getByLabel('Label of E-mail', { exact: true }).selectOption('work');
	await edit.getByRole('button', { name: 'Add e-mail' }).click();
	await edit.getByLabel('E-mail 2', { exact: true }).fill(home);
	await edit.getByLabel('Label of E-mail 2', { exact: true }).selectOption('home');
	await edit.getByLabel('Phone', { exact: true }).fill('+49 30 1234567');
	await edit.getByLabel('Label of Phone', { exact: true }).selectOption('work');
	await edit.getByRole('button', { name: 'Add phone' }).click();
	await edit.getByLabel('Phone 2', { exact: true }).fill('+49 171 2345678');
	await edit.getByLabel('Label of Phone 2', { exact: true }).selectOption('mobile');
	await edit.getByLabel('Day', { exact: true }).fill('15');
	await edit.getByLabel('Month', { exact: true }).selectOption('4');
	await edit.getByLabel('Year', { exact: true }).fill('1985');
	await edit.getByLabel(badge, { exact: true }).fill(`B-${stamp}`);
	await edit.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(edit).toBeHidden();
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	// Out: the contact ticked in the Persons list, "Export selection as vCard".
	await page.goto('/persons');
	await page.getByRole('searchbox', { name: 'Search' }).fill(last);
	const table = page.getByRole('table', { name: 'Persons' });
	await table.getByRole('checkbox', { name: `Select Vera ${last}` }).check();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export selection as vCard' }).click();
	const file = await downloading;
	const vcf = fs.readFileSync((await file.path())!);
	expect(vcf.toString('utf8')).toContain(`FN:Vera ${last}`);

	// In again, the rule "update": a value read back differently would count as an update.
	await page.goto('/import');
	await page.getByLabel('File').setInputFiles({ name: file.suggestedFilename(), mimeType: 'text/vcard', buffer: vcf });
	await page.getByRole('button', { name: 'Read file' }).click();
	const preview = page.getByRole('region', { name: 'First rows, as they will be stored' });
	await expect(preview.getByRole('row', { name: new RegExp(`Vera ${last}`) })).toContainText(work);
	await page.getByRole('radio', { name: 'Update the contact' }).check();
	await page.getByRole('button', { name: 'Run import' }).click();
	const report = page.getByRole('region', { name: 'Report' });
	await expect(report.getByRole('status')).toHaveText('Imported: 0 · Updated: 0 · Skipped: 1 · Refused: 0', {
		timeout: 15_000
	});

	// Still one company and one Vera, with every value as it was.
	await page.goto('/persons');
	await page.getByRole('searchbox', { name: 'Search' }).fill(last);
	await expect(table.locator('tbody tr')).toHaveCount(1);
	await page.goto('/companies');
	await page.getByRole('searchbox', { name: 'Search' }).fill(company);
	await expect(page.getByRole('link', { name: company })).toHaveCount(1);
	await page.getByRole('link', { name: company }).click();
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: `Edit Vera ${last}` }).click();
	await expect(edit.getByLabel('E-mail', { exact: true })).toHaveValue(work);
	await expect(edit.getByLabel('Label of E-mail', { exact: true })).toHaveValue('work');
	await expect(edit.getByLabel('E-mail 2', { exact: true })).toHaveValue(home);
	await expect(edit.getByLabel('Label of E-mail 2', { exact: true })).toHaveValue('home');
	await expect(edit.getByLabel('Phone', { exact: true })).toHaveValue('+49 30 1234567');
	await expect(edit.getByLabel('Label of Phone', { exact: true })).toHaveValue('work');
	await expect(edit.getByLabel('Phone 2', { exact: true })).toHaveValue('+49 171 2345678');
	await expect(edit.getByLabel('Label of Phone 2', { exact: true })).toHaveValue('mobile');
	await expect(edit.getByLabel('Day', { exact: true })).toHaveValue('15');
	await expect(edit.getByLabel('Month', { exact: true })).toHaveValue('4');
	await expect(edit.getByLabel('Year', { exact: true })).toHaveValue('1985');
	await expect(edit.getByLabel(badge, { exact: true })).toHaveValue(`B-${stamp}`);
});

test('Create Company: a bad additional field alone gets the summary error and the focus', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const size = `Fleet size ${stamp}`;
	await addField(page, { label: size, type: 'Number', for: 'Companies' });
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(`Summary ${stamp} AG`);
	await dialog.getByLabel(size, { exact: true }).fill('forty');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();

	await expect(dialog.getByRole('alert')).toHaveText('Please correct the marked fields.');
	await expect(dialog.getByLabel(size, { exact: true })).toBeFocused();
	await expect(dialog.getByLabel(size, { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(dialog.getByText('Enter a number, e.g. 1234.5.')).toBeVisible();
	// Nothing typed is lost; corrected, the company is created.
	await expect(dialog.getByLabel('Company name')).toHaveValue(`Summary ${stamp} AG`);
	await dialog.getByLabel(size, { exact: true }).fill('40');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name: `Summary ${stamp} AG`, level: 1 })).toBeVisible();
});

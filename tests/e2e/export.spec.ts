/**
 * [§4] "Export the contacts you can see" from the Companies and Persons lists (issue #13
 * item 5): the Export menu carries the list's filters, and the file downloaded is the list as
 * filtered, in UTF-8 with a BOM.
 */
import fs from 'node:fs';
import { expect, expectAccessible, test } from './helpers';

test.setTimeout(90_000);

test('the Companies list exports what it shows, as CSV and vCard', async ({ adminPage: page }) => {
	const stamp = Date.now();
	const name = `Exportprobe Größer ${stamp}`;
	await page.goto('/companies');
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(name);
	await dialog.getByLabel('City', { exact: true }).fill('Köln');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await page.goto('/companies');
	await page.getByLabel('Search').fill(String(stamp));
	await page.getByRole('button', { name: 'Export this list' }).click();
	const csv = page.getByRole('link', { name: 'CSV (comma)' });
	await expect(csv).toHaveAttribute('href', `/api/export/companies.csv?q=${stamp}`);
	await expect(page.getByRole('link', { name: 'CSV (semicolon, for Excel)' })).toHaveAttribute(
		'href',
		`/api/export/companies.csv?q=${stamp}&delimiter=semicolon`
	);
	await expectAccessible(page, 'the Companies list with the Export menu open');

	const downloading = page.waitForEvent('download');
	await csv.click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^companies-\d{4}-\d{2}-\d{2}\.csv$/);
	const bytes = fs.readFileSync((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const rows = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
	// The built-in columns, then one per additional field (tests running beside this one may define some).
	const [header, row] = rows.map((r) => r.split(','));
	expect(rows).toHaveLength(2);
	const builtIn = header.slice(0, header.indexOf('Contacts') + 1);
	expect(builtIn).toEqual([
		'Company',
		'E-mail',
		'E-mail Label',
		'Phone',
		'Phone Label',
		'Phone E.164',
		'Street',
		'City',
		'State',
		'Postal Code',
		'Country',
		'Contacts'
	]);
	// What the list shows, and nothing else in the built-in columns.
	expect(Object.fromEntries(builtIn.map((h, i) => [h, row[i]]).filter(([, v]) => v !== ''))).toEqual({
		Company: name,
		City: 'Köln',
		Contacts: '0'
	});

	await page.getByRole('button', { name: 'Export this list' }).click();
	const vcard = page.waitForEvent('download');
	await page.getByRole('link', { name: 'vCard' }).click();
	const vcf = fs.readFileSync((await (await vcard).path())!, 'utf8');
	expect(vcf).toContain(`KIND:org\r\nFN:${name}\r\n`);
});

/**
 * [§8] Import from the browser (issue #13 item 3): a small CSV is read by the server, its
 * first rows shown as they will be stored, run, reported, and the company it creates is in
 * the Companies list (it reaches the device by sync); Undo puts it in the trash. A file of no
 * known layout goes through the mapping screen; the Persons list exported and imported again
 * creates nothing new.
 */
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { addContact, createCompany } from './customers';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';

test.setTimeout(90_000);
// In order, on one worker, as written.
test.describe.configure({ mode: 'default' });

test('a CSV imported from the Import page: preview, run, report, the company in the list, undo', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const company = `Importprobe ${stamp} GmbH`;
	const csv = [
		'First Name,Last Name,Company,E-mail,Job Title',
		`Greta,Lind,${company},greta.${stamp}@import-e2e.example,=SUM(A1)`,
		`Hugo,Brand,${company.toUpperCase()},hugo.${stamp}@import-e2e.example,Einkauf`,
		`Ivo,Nowak,${company},not-an-address,`
	].join('\r\n');

	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Import' }).click();
	await expect(page.getByRole('heading', { name: 'Import contacts', level: 1 })).toBeVisible();
	await page
		.getByLabel('File')
		.setInputFiles({ name: `people-${stamp}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Read file' }).click();

	const preview = page.getByRole('region', { name: 'First rows, as they will be stored' });
	await expect(preview.getByRole('row', { name: /Greta Lind/ })).toContainText('stored as text');
	await expect(preview.getByRole('row', { name: /^4 / })).toContainText('refused bad e-mail');
	await expectAccessible(page, 'the Import page with a preview');
	await expectNoHorizontalScroll(page);

	await page.getByRole('radio', { name: 'Skip them' }).check();
	await page.getByRole('button', { name: 'Run import' }).click();
	const report = page.getByRole('region', { name: 'Report' });
	await expect(report.getByRole('status')).toHaveText('Imported: 2 · Updated: 0 · Skipped: 0 · Refused: 1', {
		timeout: 15_000
	});
	await expect(report.getByRole('row', { name: /^4 / })).toContainText('refused bad e-mail');

	// The company reaches the device by sync: the Companies list (another tab) shows it.
	const list = await page.context().newPage();
	await list.goto('/companies');
	await list.getByLabel('Search').fill(String(stamp));
	await expect(list.getByRole('link', { name: company })).toBeVisible({ timeout: 15_000 });

	await page.getByRole('button', { name: 'Undo this import' }).click();
	await expect(report.getByText('The import was undone')).toBeVisible();
	await expect(list.getByRole('link', { name: company })).toHaveCount(0, { timeout: 15_000 });
});

test('a CSV nobody’s layout: mapped on the mapping screen, previewed, run with progress, reported; the mapping is kept', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const company = `Bäckerei ${stamp} KG`;
	const header = `Person;Arbeitgeber;Postfach;Durchwahl;Notiz ${stamp}`;
	const mail = (who: string) => `${who}.${stamp}@map-e2e.example`;
	// A hand-made export from a German Windows locale: `;` and Windows-1252.
	const first = iconv.encode(
		[
			header,
			`Jürgen Weiß;${company};${mail('juergen')};030 1234567;Stammkunde`,
			`Zoë Brandt;${company};${mail('zoe')};0171 2345678;`,
			`Ohne Post;${company};kein-at-zeichen;;`,
			';;;0301111;nur Telefon'
		].join('\r\n'),
		'win1252'
	);

	await page.goto('/import');
	await page.getByLabel('File').setInputFiles({ name: `kunden-${stamp}.csv`, mimeType: 'text/csv', buffer: first });
	await page.getByRole('button', { name: 'Read file' }).click();

	const mapping = page.getByRole('region', { name: 'Columns' });
	await expect(mapping).toContainText('Layout: not recognised — map the columns below');
	await expect(mapping.getByLabel('Delimiter')).toHaveValue(';');
	await expect(mapping.getByLabel('Encoding')).toHaveValue('windows-1252');
	await expect(page.getByText('No column is imported as a name, a company or an e-mail yet')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Run import' })).toBeDisabled();

	await mapping.getByLabel('Person', { exact: true }).selectOption({ label: 'Full name' });
	const preview = page.getByRole('region', { name: 'First rows, as they will be stored' });
	await expect(preview.getByRole('row', { name: /^2 / })).toContainText('Jürgen Weiß');
	await mapping.getByLabel('Arbeitgeber').selectOption({ label: 'Company' });
	await mapping.getByLabel('Postfach').selectOption({ label: 'E-mail (work)' });
	await mapping.getByLabel('Durchwahl').selectOption({ label: 'Phone (work)' });
	await mapping.getByLabel('Country of phone numbers without a country code').selectOption({ label: 'Germany' });
	await expect(preview.getByRole('row', { name: /^2 / })).toContainText(`${company}${mail('juergen')}030 1234567`);
	await expect(preview.getByRole('row', { name: /^4 / })).toContainText('refused bad e-mail');
	await expect(preview.getByRole('row', { name: /^5 / })).toContainText('refused no name');
	await expectAccessible(page, 'the import mapping screen');
	await expectNoHorizontalScroll(page);

	await page.getByRole('button', { name: 'Run import' }).click();
	const report = page.getByRole('region', { name: 'Report' });
	await expect(report.getByRole('status')).toHaveText('Imported: 2 · Updated: 0 · Skipped: 0 · Refused: 2', {
		timeout: 15_000
	});
	await expect(report.getByRole('row', { name: /^4 / })).toContainText('refused bad e-mail');
	await expect(report.getByRole('row', { name: /^5 / })).toContainText('refused no name');

	// The same columns again: mapped as chosen, without asking. Rule "update": one row changed,
	// one the same, one bad, and enough new ones that the run's progress shows.
	const many = Array.from({ length: 2000 }, (_, i) => `Neu ${i} Kunde;;${mail(`neu${i}`)};;`);
	const second = iconv.encode(
		[
			header,
			`Jürgen Weiß;${company};${mail('juergen')};030 7654321;`,
			`Zoë Brandt;${company};${mail('zoe')};0171 2345678;`,
			`Ohne Post;${company};kein-at-zeichen;;`,
			...many
		].join('\r\n'),
		'win1252'
	);
	await page.getByLabel('File').setInputFiles({ name: `kunden-2-${stamp}.csv`, mimeType: 'text/csv', buffer: second });
	await page.getByRole('button', { name: 'Read file' }).click();
	await expect(mapping).toContainText('The mapping you chose for these columns is used.');
	await expect(mapping.getByLabel('Postfach')).toHaveValue('field:email:work');
	// Every column chosen is kept, also those picked while the previous choice was still being
	// answered (choices were lost that way under load: the phone, and with it the update below).
	await expect(mapping.getByLabel('Durchwahl')).toHaveValue('field:phone:work');
	await page.getByRole('radio', { name: 'Update the contact' }).check();
	await page.getByRole('button', { name: 'Run import' }).click();
	await expect(report.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
	await expect(report.getByRole('status')).toHaveText('Imported: 2000 · Updated: 1 · Skipped: 1 · Refused: 1', {
		timeout: 30_000
	});
	await expect(report.getByRole('row', { name: /^2 / })).toContainText('updated');
	await expect(report.getByRole('row', { name: /^3 / })).toContainText('skipped nothing to change');
	await expect(report.getByRole('row', { name: /^4 / })).toContainText('refused bad e-mail');
});

test('export → re-import round trip: the Persons list exported as CSV and imported again creates nothing new', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const company = `Rundreise ${stamp} AG`;
	await createCompany(page, company);
	await addContact(page, 'Runa', `Rund${stamp}`, { email: `runa.${stamp}@roundtrip-e2e.example` });
	await addContact(page, 'Tore', `Trip${stamp}`, { email: `tore.${stamp}@roundtrip-e2e.example` });
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await page.goto('/persons');
	await page.getByLabel('Search').fill(String(stamp));
	await expect(page.getByRole('link', { name: `Runa Rund${stamp}` })).toBeVisible();
	await page.getByRole('button', { name: 'Export this list' }).click();
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'CSV (comma)' }).click();
	const download = await downloading;
	const exported = fs.readFileSync((await download.path())!);

	await page.goto('/import');
	await page
		.getByLabel('File')
		.setInputFiles({ name: download.suggestedFilename(), mimeType: 'text/csv', buffer: exported });
	await page.getByRole('button', { name: 'Read file' }).click();
	const preview = page.getByRole('region', { name: 'First rows, as they will be stored' });
	await expect(preview.getByRole('row', { name: /^2 / })).toContainText(company);
	await page.getByRole('button', { name: 'Run import' }).click();
	const report = page.getByRole('region', { name: 'Report' });
	await expect(report.getByRole('status')).toHaveText('Imported: 0 · Updated: 0 · Skipped: 2 · Refused: 0', {
		timeout: 15_000
	});

	await page.goto('/companies');
	await page.getByLabel('Search').fill(String(stamp));
	await expect(page.getByRole('link', { name: company })).toHaveCount(1);
	await page.goto('/persons');
	await page.getByLabel('Search').fill(String(stamp));
	await expect(page.getByRole('link', { name: /Rund|Trip/ })).toHaveCount(2);
});

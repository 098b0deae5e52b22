/**
 * [§8] Import from the browser (issue #13 item 3): a small CSV is read by the server, its
 * first rows shown as they will be stored, run, reported, and the company it creates is in
 * the Companies list (it reaches the device by sync); Undo puts it in the trash.
 */
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './helpers';

test.setTimeout(90_000);

test('a CSV imported from the Import page: preview, run, report, the company in the list, undo', async ({ page }) => {
	const stamp = Date.now();
	const company = `Importprobe ${stamp} GmbH`;
	const csv = [
		'First Name,Last Name,Company,E-mail,Job Title',
		`Greta,Lind,${company},greta.${stamp}@import-e2e.example,=SUM(A1)`,
		`Hugo,Brand,${company.toUpperCase()},hugo.${stamp}@import-e2e.example,Einkauf`,
		`Ivo,Nowak,${company},not-an-address,`
	].join('\r\n');

	await signIn(page, ADMIN);
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

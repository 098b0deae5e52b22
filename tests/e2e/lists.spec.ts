/**
 * [§4] Search and lists as people use them (issue #14 item 6): German transliterations both
 * ways, a company found by its contact's name and position, search and sort kept in the URL so
 * Back and reload restore them, sortable column headers, and a phone list dense enough to scan.
 */
import { createCompany } from './customers';
import { expect, expectAccessible, test } from './helpers';

test.setTimeout(120_000);

test('search finds "mueller" and a contact’s position; the URL keeps search and sort across Back and reload', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const company = `Müller Listen ${stamp}`;
	await createCompany(page, company);
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	await dialog.getByLabel('First name', { exact: true }).fill('Grace');
	await dialog.getByLabel('Last name', { exact: true }).fill(`Hopper${stamp}`);
	await dialog.getByLabel('Position', { exact: true }).fill(`Einkaufsleiterin${stamp}`);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();

	const nav = page.getByRole('navigation', { name: 'Main navigation' });
	await nav.getByRole('link', { name: 'Companies' }).click();
	const search = page.getByRole('searchbox', { name: 'Search' });
	const table = page.getByRole('table', { name: 'Companies' });

	// Typed without umlauts, the company is found; so it is by its contact's name and position.
	await search.fill(`mueller listen ${stamp}`);
	await expect(table.getByRole('link')).toHaveText([company]);
	await search.fill(`hopper${stamp}`);
	await expect(table.getByRole('link')).toHaveText([company]);
	await search.fill(`einkaufsleiterin${stamp}`);
	await expect(table.getByRole('link')).toHaveText([company]);
	await expect(page).toHaveURL(new RegExp(`[?&]q=einkaufsleiterin${stamp}`));

	// A header sorts by its column and says so; the sort is in the URL too.
	const city = table.getByRole('columnheader', { name: 'City' });
	await city.getByRole('button').click();
	await expect(city).toHaveAttribute('aria-sort', 'ascending');
	await city.getByRole('button').click();
	await expect(city).toHaveAttribute('aria-sort', 'descending');
	await expect(page).toHaveURL(/[?&]sort=city-desc/);
	await expectAccessible(page, 'companies list, sorted');

	// Open the company, come Back: the same search and sort.
	await table.getByRole('link', { name: company }).click();
	await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
	await page.goBack();
	await expect(search).toHaveValue(`einkaufsleiterin${stamp}`);
	await expect(table.getByRole('columnheader', { name: 'City' })).toHaveAttribute('aria-sort', 'descending');
	await expect(table.getByRole('link')).toHaveText([company]);

	// A reload (or a shared link) opens the list as it was; the persons list finds her by position.
	await page.reload();
	await expect(search).toHaveValue(`einkaufsleiterin${stamp}`);
	await nav.getByRole('link', { name: 'Persons' }).click();
	await search.fill(`einkaufsleiterin${stamp}`);
	await expect(page.getByRole('table', { name: 'Persons' }).getByRole('link', { name: /Hopper/ })).toHaveText([
		`Grace Hopper${stamp}`
	]);
});

test('the persons list shows at least six people per screen on a 390×844 phone', async ({ adminPage: page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	const stamp = Date.now();
	await page.goto('/persons');
	for (let i = 0; i < 7; i++) {
		await page.getByRole('button', { name: 'Create Person' }).click();
		const dialog = page.getByRole('dialog', { name: 'Create Person' });
		await dialog.getByLabel('First name').fill(`Dense${i}`);
		await dialog.getByLabel('Last name').fill(`Row ${stamp}`);
		await dialog.getByLabel('Position').fill('Außendienst');
		await dialog.getByLabel('E-mail', { exact: true }).fill(`dense${i}.${stamp}@example.com`);
		await dialog.getByLabel('Phone').fill(`+49 8141 5550${i}`);
		await dialog.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByRole('heading', { name: `Dense${i} Row ${stamp}`, level: 1 })).toBeVisible();
		await page.goto('/persons');
	}
	await page.getByRole('searchbox', { name: 'Search' }).fill(`row ${stamp}`);
	const rows = page.getByRole('table', { name: 'Persons' }).locator('tbody tr');
	await expect(rows).toHaveCount(7);
	// With the first card at the top of the screen, six or more fit whole.
	const fit = await rows.first().evaluate((first) => {
		first.scrollIntoView({ block: 'start' });
		const all = [...(first.parentElement?.children ?? [])];
		return all.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length;
	});
	expect(fit, `${fit} people fit on one 844 px screen`).toBeGreaterThanOrEqual(6);
	await expectAccessible(page, 'persons list on a phone');

	// Stored as "+49 8141 55503", found as typed nationally, and the other way round.
	const search = page.getByRole('searchbox', { name: 'Search' });
	const people = page.getByRole('table', { name: 'Persons' }).getByRole('link', { name: new RegExp(`Row ${stamp}`) });
	await search.fill('08141 55503');
	await expect(people).toHaveText([`Dense3 Row ${stamp}`]);
	await search.fill('0049 8141 55504');
	await expect(people).toHaveText([`Dense4 Row ${stamp}`]);
});

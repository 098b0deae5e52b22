/**
 * Addresses in the order of the reader's language or the address's country, the country
 * from a list named in the reader's language (issue #14 item 10). A staff member made for the
 * test switches language (never the admin). Free text in the country field (written before
 * the list existed, or by an import) cannot be typed any more: that it is kept and shown as
 * written is covered by src/lib/schema/countries.test.ts and address-layout.test.ts.
 */
import type { Locator, Page } from '@playwright/test';
import { closeSection, openSection, shownValue } from './customers';
import {
	ADMIN,
	createStaffMember,
	chooseLanguage,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	signIn,
	signOut,
	test,
	uniqueStaff
} from './helpers';

/** The labels of a form's fields in the order a reader meets them. */
const labels = (scope: Locator) => scope.locator('label').allTextContents();

async function expectBefore(scope: Locator, first: string, second: string): Promise<void> {
	await expect(async () => {
		const all = (await labels(scope)).map((l) => l.trim());
		expect(all).toContain(first);
		expect(all).toContain(second);
		expect(all.indexOf(first), `${first} before ${second} in ${all.join(' · ')}`).toBeLessThan(all.indexOf(second));
	}).toPass({ timeout: 5000 });
}

/** The dialog fits a 360 px phone: neither the page nor the dialog scrolls sideways. */
async function expectFitsPhone(page: Page, dialog: Locator): Promise<void> {
	await expectNoHorizontalScroll(page);
	const { scrollWidth, clientWidth } = await dialog.evaluate((d) => ({
		scrollWidth: d.scrollWidth,
		clientWidth: d.clientWidth
	}));
	expect(scrollWidth, 'the dialog does not scroll sideways').toBeLessThanOrEqual(clientWidth);
}

test('address fields follow the language and the country; the country is chosen from a list', async ({ page }) => {
	const staff = uniqueStaff('Adresse');
	await signIn(page, ADMIN);
	await createStaffMember(page, staff);
	await signOut(page);
	await signIn(page, staff);
	await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();

	// English: the city comes before the postal code (as in the US and the UK).
	const nav = page.getByRole('navigation', { name: 'Main navigation' });
	await nav.getByRole('link', { name: 'Companies' }).click();
	await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
	await page.setViewportSize({ width: 360, height: 740 });
	await page.getByRole('button', { name: 'Create Company' }).click();
	let dialog = page.getByRole('dialog', { name: 'Create Company' });
	await expectBefore(dialog, 'City', 'Postal code');
	const country = dialog.getByLabel('Country', { exact: true });
	await expect(country).toHaveValue('');
	await expect(country.locator('option').first()).toHaveText('—');
	await expect(country.getByRole('option', { name: 'Germany', exact: true })).toHaveCount(1);
	await expectAccessible(page, 'the Create Company dialog with the country list');
	await expectFitsPhone(page, dialog);
	// A German address is written the German way, whatever the reader's language.
	await country.selectOption({ label: 'Germany' });
	await expectBefore(dialog, 'Postal code', 'City');
	await expectFitsPhone(page, dialog);
	await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
	await expect(dialog).toBeHidden();
	await page.setViewportSize({ width: 1280, height: 800 });

	// German: Postleitzahl before Ort; the list names the countries in German.
	await chooseLanguage(page, 'Language', 'Deutsch', page.getByRole('navigation', { name: 'Hauptnavigation' }));
	await expect(page.getByRole('heading', { name: 'Unternehmen', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Unternehmen anlegen' }).click();
	dialog = page.getByRole('dialog', { name: 'Unternehmen anlegen' });
	await expectBefore(dialog, 'Postleitzahl', 'Ort');
	const name = `Adressbuch GmbH ${Date.now()}`;
	await dialog.getByLabel('Firmenname', { exact: true }).fill(name);
	await dialog.getByLabel('Straße', { exact: true }).fill('Marienplatz 1');
	await dialog.getByLabel('Postleitzahl', { exact: true }).fill('80331');
	await dialog.getByLabel('Ort', { exact: true }).fill('München');
	await dialog.getByLabel('Land', { exact: true }).selectOption({ label: 'Deutschland' });
	await expectAccessible(page, 'the German Create Company dialog');
	await dialog.getByRole('button', { name: 'Speichern', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	const address = page
		.getByRole('tabpanel')
		.getByRole('definition')
		.and(page.getByLabel('Adresse', { exact: true }));
	await expect(address).toHaveText('Marienplatz 1, 80331 München, Deutschland');
	const url = page.url();

	// Back in English, the same record names its country in English; the list keeps it chosen.
	// (Switched on the list: the customer page has a contact's mail language too.)
	await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Unternehmen' }).click();
	await expect(page.getByRole('heading', { name: 'Unternehmen', level: 1 })).toBeVisible();
	await chooseLanguage(page, 'Sprache', 'English', page.getByRole('navigation', { name: 'Main navigation' }));
	await page.goto(url);
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
	await expect(shownValue(page, 'Address')).toHaveText('Marienplatz 1, 80331 München, Germany');
	const section = await openSection(page, 'Address');
	// The address's country decides the order: postal code first, even in English.
	await expectBefore(section, 'Postal code', 'City');
	const stored = section.getByLabel('Country', { exact: true });
	await expect(stored).toHaveValue('DE');
	await expectAccessible(page, 'the Address section being edited');

	// Another country is written as soon as it is chosen, and reorders the form.
	await stored.selectOption({ label: 'United States' });
	await expectBefore(section, 'City', 'Postal code');
	await closeSection(page, 'Address');
	await expect(shownValue(page, 'Address')).toHaveText('Marienplatz 1, München 80331, United States');
	await page.reload();
	await expect(shownValue(page, 'Address')).toHaveText('Marienplatz 1, München 80331, United States');
});

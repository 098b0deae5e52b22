/**
 * [§1][§4][§5] The customer page as a sales rep uses it on a phone and office staff on a
 * desktop (issue #14): it opens as a view — tap to call, write, open the website, the address
 * on a map — each section is edited on demand (offline too, kept over a reload), contacts come
 * primary first then by name, nothing scrolls sideways at 360 px, a Person record shows the
 * person, and deleting sits in a menu, never the first button.
 */
import type { Page } from '@playwright/test';
import { closeSection, goOffline, openSection, section, shownValue } from './customers';
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './helpers';

test.setTimeout(120_000);

const devices = [
	{ name: 'phone', viewport: { width: 390, height: 844 } },
	{ name: 'desktop', viewport: { width: 1280, height: 800 } }
] as const;

async function createCompany(page: Page, name: string): Promise<void> {
	await page.goto('/companies');
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(name);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function addContact(page: Page, first: string, last: string, extra: { phone?: string; email?: string } = {}) {
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	// The form states the schema's limits (issue #14 item 10).
	await expect(dialog.getByLabel('Position', { exact: true })).toHaveAccessibleDescription('At most 100 characters.');
	await dialog.getByLabel('First name', { exact: true }).fill(first);
	await dialog.getByLabel('Last name', { exact: true }).fill(last);
	if (extra.email) await dialog.getByLabel('E-mail', { exact: true }).fill(extra.email);
	if (extra.phone) await dialog.getByLabel('Phone', { exact: true }).fill(extra.phone);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();
}

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

for (const device of devices) {
	test.describe(`on a ${device.name} (${device.viewport.width}x${device.viewport.height})`, () => {
		test.use({ viewport: device.viewport });

		test('[§4] the customer page opens as a view with tel:, mailto:, website and map links; a section is edited offline; delete is in the menu', async ({
			page
		}) => {
			await signIn(page, ADMIN);
			const name = `Bäckerei Sonnenschein ${device.name} ${Date.now()}`;
			await createCompany(page, name);
			const panel = page.getByRole('tabpanel');

			// A view: no form fields until a section is edited.
			await expect(panel.getByRole('textbox')).toHaveCount(0);
			await expect(section(page, 'Address')).toContainText('Nothing entered yet.');

			// Reach: typed in the section's edit mode, shown as links.
			const reach = await openSection(page, 'E-mail, phone and web');
			const email = `bestellung.sonnenschein.${Date.now()}@example.com`;
			await reach.getByLabel('E-mail', { exact: true }).fill(email);
			await reach.getByLabel('Phone', { exact: true }).fill('+49 8141 22 33 44');
			await reach.getByLabel('Website', { exact: true }).fill('sonnenschein.example');
			await reach.getByLabel('Website', { exact: true }).blur();
			await closeSection(page, 'E-mail, phone and web');
			await expect(shownValue(page, 'Phone').getByRole('link')).toHaveAttribute('href', 'tel:+4981412233' + '44');
			await expect(shownValue(page, 'Phone')).toHaveText('+49 8141 22 33 44');
			await expect(shownValue(page, 'E-mail').getByRole('link')).toHaveAttribute('href', `mailto:${email}`);
			const website = shownValue(page, 'Website').getByRole('link');
			await expect(website).toHaveAttribute('href', 'https://sonnenschein.example/');
			await expect(website).toHaveAttribute('target', '_blank');
			await expect(website).toHaveAttribute('rel', /noopener/);
			await expectSynced(page);

			// The address is edited offline, kept on the device over a reload, and opens a map.
			// (The installed app's service worker serves the reload: wait until it controls the page.)
			await expect
				.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
				.toBe(true);
			await goOffline(page);
			const address = await openSection(page, 'Address');
			// The edit mode states the schema's limits, as the create dialog does (issue #14 item 10).
			await expect(address.getByLabel('Street', { exact: true })).toHaveAccessibleDescription(
				'At most 200 characters.'
			);
			await address.getByLabel('Street', { exact: true }).fill('Hauptstraße 12');
			await address.getByLabel('Postal code', { exact: true }).fill('82256');
			await address.getByLabel('City', { exact: true }).fill('Fürstenfeldbruck');
			await address.getByLabel('Country', { exact: true }).selectOption({ label: 'Germany' });
			await closeSection(page, 'Address');
			// Four fields edited: four changes (issue #14 item 7 counts changes, not records).
			await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('4 changes waiting');
			await page.reload();
			await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
			await expect(shownValue(page, 'Address')).toHaveText('Hauptstraße 12, 82256 Fürstenfeldbruck, Germany');
			const map = panel.getByRole('link', { name: /^Map: show the address/ });
			await expect(map).toHaveAttribute(
				'href',
				'https://www.openstreetmap.org/search?query=' +
					encodeURIComponent('Hauptstraße 12, 82256 Fürstenfeldbruck, Germany')
			);
			await expect(map).toHaveAttribute('rel', /noopener/);
			await page.context().setOffline(false);
			await expectSynced(page);

			// Contacts: the primary (the first) first, then by name; long values never break.
			await addContact(page, 'Zoe', 'Adams', { phone: '+49 8141 99 88 77 66 55' });
			await addContact(page, 'Emil', 'Berg', {
				email: `emil.berg.einkauf.und.vertrieb.${Date.now()}@sonnenschein-backwaren.example`
			});
			await addContact(page, 'Anna', 'Young');
			const cards = panel.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
			await expect(cards).toHaveCount(3);
			await expect(cards.nth(0)).toContainText('Zoe Adams');
			await expect(cards.nth(0)).toContainText('Primary contact');
			await expect(cards.nth(1)).toContainText('Anna Young');
			await expect(cards.nth(2)).toContainText('Emil Berg');
			// No empty labels: Anna has no phone or e-mail, so her card names neither.
			await expect(cards.nth(1)).not.toContainText('Phone');
			await expect(cards.nth(1)).not.toContainText('E-mail');
			for (const link of await panel.locator('a[href^="tel:"], a[href^="mailto:"]').all()) {
				await expect(link).toHaveCSS('white-space', 'nowrap');
			}
			await expect(cards.nth(0).getByRole('link', { name: '+49 8141 99 88 77 66 55' })).toHaveAttribute(
				'href',
				'tel:+49814199887766' + '55'
			);
			await expectAccessible(page, `the contacts of a customer on a ${device.name}`);

			// The Details view names the primary contact with their phone.
			await page.getByRole('tab', { name: 'Details' }).click();
			await expect(section(page, 'Primary contact')).toContainText('Zoe Adams');
			await expect(
				section(page, 'Primary contact').getByRole('link', { name: '+49 8141 99 88 77 66 55' })
			).toBeVisible();
			await expectAccessible(page, `the customer page on a ${device.name}`);
			await page.screenshot({ path: `docs/screenshots/customer-${device.name}.png`, fullPage: true });

			await page.setViewportSize({ width: 360, height: 800 });
			await expectNoHorizontalScroll(page);
			await page.getByRole('tab', { name: 'Contacts' }).click();
			await expectNoHorizontalScroll(page);
			await page.setViewportSize(device.viewport);

			// Deleting is in the "More" menu; the confirmation starts on Cancel.
			await expect(page.getByRole('button', { name: 'Delete customer' })).toHaveCount(0);
			await page.getByRole('button', { name: 'More actions', exact: true }).click();
			await page.getByRole('button', { name: 'Delete customer' }).click();
			const confirm = page.getByRole('dialog', { name: 'Move this customer to the trash?' });
			await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
			await confirm.getByRole('button', { name: 'Move to trash' }).click();
			await expect(page.getByText('In trash', { exact: true })).toBeVisible();
			await expect(page.getByRole('button', { name: 'Edit Address' })).toHaveCount(0);
			await page.getByRole('button', { name: 'Restore', exact: true }).click();
			await expect(page.getByText('In trash', { exact: true })).toBeHidden();
		});

		test('[§2] a Person record shows the person — position, phone, e-mail — not a company name', async ({
			adminPage: page
		}) => {
			await page.goto('/persons');
			await page.getByRole('button', { name: 'Create Person' }).click();
			const dialog = page.getByRole('dialog', { name: 'Create Person' });
			const stamp = Date.now();
			await dialog.getByLabel('First name').fill('Jonas');
			await dialog.getByLabel('Last name').fill(`Weber ${device.name} ${stamp}`);
			await dialog.getByLabel('Position').fill('Einkaufsleiter');
			await dialog.getByLabel('E-mail', { exact: true }).fill(`jonas.${stamp}@example.com`);
			await dialog.getByLabel('Phone').fill('0170 1234567');
			await dialog.getByRole('button', { name: 'Save', exact: true }).click();
			const fullName = `Jonas Weber ${device.name} ${stamp}`;
			await expect(page.getByRole('heading', { name: fullName, level: 1 })).toBeVisible();

			const person = section(page, 'Person');
			await expect(person.getByLabel('Position', { exact: true })).toHaveText('Einkaufsleiter');
			await expect(person.getByRole('link', { name: '0170 1234567' })).toHaveAttribute('href', 'tel:01701234567');
			await expect(person.getByRole('link', { name: `jonas.${stamp}@example.com` })).toHaveAttribute(
				'href',
				`mailto:jonas.${stamp}@example.com`
			);
			await expect(page.getByRole('tabpanel')).not.toContainText('Company name');
			await openSection(page, 'General');
			await expect(page.getByRole('tabpanel').getByLabel('Company name')).toHaveCount(0);
			await closeSection(page, 'General');

			// The person is edited in the contact dialog.
			await person.getByRole('button', { name: `Edit ${fullName}` }).click();
			const edit = page.getByRole('dialog', { name: 'Edit contact' });
			await edit.getByLabel('Position', { exact: true }).fill('Geschäftsführer');
			await edit.getByRole('button', { name: 'Save', exact: true }).click();
			await expect(person.getByLabel('Position', { exact: true })).toHaveText('Geschäftsführer');
			await expectAccessible(page, `a Person record on a ${device.name}`);
			await page.setViewportSize({ width: 360, height: 800 });
			await expectNoHorizontalScroll(page);
		});
	});
}

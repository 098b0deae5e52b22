/**
 * [§2][§5] The Overview and the Trash on a phone and a desktop (issue #14): the Overview shows
 * the customers recently opened on this device (also after a reload with no connection), "My
 * customers", counts, quick create and what waits for the server; the Trash lists deleted
 * customers and contacts with the date each is purged, and Restore brings them back — the
 * former primary contact, restored alone, is primary again.
 */
import type { Page } from '@playwright/test';
import { section } from './customers';
import {
	ADMIN,
	createStaffMember,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	signIn,
	test,
	uniqueStaff
} from './helpers';

test.setTimeout(120_000);

const devices = [
	{ name: 'phone', viewport: { width: 390, height: 844 }, menu: true },
	{ name: 'desktop', viewport: { width: 1280, height: 800 }, menu: false }
] as const;

const DAY = 86_400_000;
const medium = (t: number) => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(t);

/** Follows a link of the main navigation (behind "Menu" on a phone). */
async function navigate(page: Page, link: string): Promise<void> {
	const nav = page.getByRole('navigation', { name: 'Main navigation' });
	const menu = page.getByRole('button', { name: 'Menu', expanded: false });
	if (!(await nav.isVisible()) && (await menu.isVisible())) await menu.click();
	await nav.getByRole('link', { name: link, exact: true }).click();
}

async function createCompany(page: Page, name: string, fields: Record<string, string> = {}): Promise<void> {
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Company' });
	await dialog.getByLabel('Company name').fill(name);
	for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label, { exact: true }).fill(value);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

for (const device of devices) {
	test.describe(`on a ${device.name} (${device.viewport.width}x${device.viewport.height})`, () => {
		test.use({ viewport: device.viewport });

		test('the Overview shows recently opened customers (also after an offline reload), My customers and counts', async ({
			page,
			newContext
		}) => {
			const hana = uniqueStaff('Hana');
			await signIn(page, ADMIN);
			await createStaffMember(page, hana);
			const hanaPage = await (await newContext({ viewport: device.viewport })).newPage();
			await signIn(hanaPage, hana);
			const home = hanaPage;
			await expect(home.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
			await expect(home.getByRole('region', { name: 'Recently opened' })).toContainText(
				'Customers you open appear here'
			);

			// Quick create from the Overview: a company, then a person.
			const stamp = Date.now();
			const first = `Gärtnerei Lindenhof ${stamp}`;
			const second = `Autohaus Brandt ${stamp}`;
			await createCompany(home, first, { City: 'Augsburg' });
			await navigate(home, 'Overview');
			await createCompany(home, second, { City: 'Dachau', Phone: '+49 8131 5566' });
			await navigate(home, 'Overview');
			await home.getByRole('button', { name: 'Create Person' }).click();
			const dialog = home.getByRole('dialog', { name: 'Create Person' });
			await dialog.getByLabel('First name').fill('Mira');
			await dialog.getByLabel('Last name').fill(`Kovač ${stamp}`);
			await dialog.getByRole('button', { name: 'Save', exact: true }).click();
			await expect(home.getByRole('heading', { name: `Mira Kovač ${stamp}`, level: 1 })).toBeVisible();
			await home.goto('/');
			await expectSynced(home);

			// Recently opened: newest first. My customers: by name. Counts as the lists count.
			const recent = home.getByRole('list', { name: 'Recently opened' });
			await expect(recent.getByRole('link')).toHaveText([`Mira Kovač ${stamp}`, second, first]);
			const mine = home.getByRole('list', { name: 'My customers' });
			await expect(mine.getByRole('link')).toHaveText([second, first, `Mira Kovač ${stamp}`]);
			const counts = home.getByRole('region', { name: 'At a glance' });
			// Public records of other tests count too: at least Hana's own.
			const companiesLink = counts.getByRole('link', { name: /Companies/ });
			await expect(companiesLink).toHaveText(/^\d+ Companies$/);
			expect(Number((await companiesLink.innerText()).split(' ')[0])).toBeGreaterThanOrEqual(2);
			await expect(counts.getByRole('link', { name: /Persons/ })).toHaveText(/^\d+ Persons$/);
			const trashLink = counts.getByRole('link', { name: /in the trash/ });
			const trashed = Number((await trashLink.innerText()).split(' ')[0]);
			await expect(home.getByRole('region', { name: 'On this device' })).toContainText(
				'Every change made on this device reached the server.'
			);
			await expectAccessible(home, `the Overview on a ${device.name}`);
			await expectNoHorizontalScroll(home);
			await home.screenshot({ path: `docs/screenshots/home-${device.name}.png`, fullPage: true });

			// Offline, opened again from the device: still there; a change made now is waiting.
			await recent.getByRole('link', { name: first }).click();
			await expect(home.getByRole('heading', { name: first, level: 1 })).toBeVisible();
			await expect
				.poll(() => home.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
				.toBe(true);
			await home.context().setOffline(true);
			await home.getByRole('button', { name: 'More actions', exact: true }).click();
			await home.getByRole('button', { name: 'Delete customer' }).click();
			await home
				.getByRole('dialog', { name: 'Move this customer to the trash?' })
				.getByRole('button', { name: 'Move to trash' })
				.click();
			await expect(home.getByText('In trash', { exact: true })).toBeVisible();
			await home.goto('/');
			await expect(home.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
			await expect(recent.getByRole('link')).toHaveText([`Mira Kovač ${stamp}`, second]);
			await expect(mine.getByRole('link')).toHaveText([second, `Mira Kovač ${stamp}`]);
			await expect(home.getByRole('region', { name: 'On this device' })).toContainText('1 change waiting');
			await expect(trashLink).toHaveText(`${trashed + 1} in the trash`);
			await home.setViewportSize({ width: 360, height: 800 });
			await expectNoHorizontalScroll(home);
			await home.setViewportSize(device.viewport);
			await home.context().setOffline(false);
			await expect(home.getByRole('region', { name: 'On this device' })).toContainText(
				'Every change made on this device reached the server.',
				{ timeout: 15_000 }
			);
		});

		test('[§2] delete a contact and a customer → the Trash shows them with the purge date → Restore brings them back', async ({
			adminPage: page
		}) => {
			await page.goto('/companies');
			const stamp = Date.now();
			const name = `Trash & Co ${device.name} ${stamp}`;
			await createCompany(page, name);
			const customerUrl = page.url();

			// The only contact, primary, goes to the trash from its "More" menu.
			await page.getByRole('tab', { name: 'Contacts' }).click();
			await page.getByRole('button', { name: 'New contact' }).click();
			const dialog = page.getByRole('dialog', { name: 'New contact' });
			await dialog.getByLabel('First name', { exact: true }).fill('Pia');
			await dialog.getByLabel('Last name', { exact: true }).fill(`Primary ${stamp}`);
			await dialog.getByRole('button', { name: 'Save', exact: true }).click();
			const contact = `Pia Primary ${stamp}`;
			await page.getByRole('button', { name: `More actions for ${contact}` }).click();
			await page.getByRole('button', { name: `Delete ${contact}` }).click();
			await expect(page.getByRole('button', { name: `Restore ${contact}` })).toBeFocused();

			// The Trash, reachable from the menu, lists it with the date it is purged.
			await navigate(page, 'Trash');
			await expect(page.getByRole('heading', { name: 'Trash', level: 1 })).toBeVisible();
			const entry = page.getByRole('article', { name: contact });
			await expect(entry).toContainText(`Contact of ${name}`);
			await expect(entry).toContainText(`Deleted for good on ${medium(Date.now() + 30 * DAY)}`);

			// A contact of another customer, for the picture of a Trash with both kinds.
			await page.goto('/companies');
			const supplier = `Lieferant Nord ${device.name} ${stamp}`;
			await createCompany(page, supplier);
			await page.getByRole('tab', { name: 'Contacts' }).click();
			await page.getByRole('button', { name: 'New contact' }).click();
			await dialog.getByLabel('First name', { exact: true }).fill('Otto');
			await dialog.getByLabel('Last name', { exact: true }).fill(`Nord ${stamp}`);
			await dialog.getByRole('button', { name: 'Save', exact: true }).click();
			await page.getByRole('button', { name: `More actions for Otto Nord ${stamp}` }).click();
			await page.getByRole('button', { name: `Delete Otto Nord ${stamp}` }).click();
			await expect(page.getByRole('button', { name: `Restore Otto Nord ${stamp}` })).toBeVisible();

			// The customer too, from its page.
			await page.goto(customerUrl);
			await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
			await page.getByRole('button', { name: 'More actions', exact: true }).click();
			await page.getByRole('button', { name: 'Delete customer' }).click();
			await page
				.getByRole('dialog', { name: 'Move this customer to the trash?' })
				.getByRole('button', { name: 'Move to trash' })
				.click();
			await expect(page.getByText('In trash', { exact: true })).toBeVisible();
			await navigate(page, 'Trash');
			const customerEntry = page.getByRole('article', { name });
			await expect(customerEntry).toContainText('Customer');
			await expect(customerEntry).toContainText(`Deleted for good on ${medium(Date.now() + 30 * DAY)}`);
			// A trashed customer's contacts come back with it: not listed one by one meanwhile.
			await expect(page.getByRole('article', { name: contact })).toHaveCount(0);
			await expect(page.getByRole('article', { name: `Otto Nord ${stamp}` })).toContainText(`Contact of ${supplier}`);
			await expectAccessible(page, `the Trash on a ${device.name}`);
			await expectNoHorizontalScroll(page);
			await page.screenshot({ path: `docs/screenshots/trash-${device.name}.png`, fullPage: true });

			// Restore the customer, then its contact: the former primary is primary again.
			await customerEntry.getByRole('button', { name: `Restore ${name}` }).click();
			await expect(page.getByText(`${name} was restored.`)).toBeVisible();
			await expect(page.getByRole('article', { name })).toHaveCount(0);
			const contactEntry = page.getByRole('article', { name: contact });
			await contactEntry.getByRole('button', { name: `Restore ${contact}` }).click();
			await expect(page.getByText(`${contact} was restored.`)).toBeVisible();
			await expect(page.getByRole('article', { name: contact })).toHaveCount(0);

			await page.goto(customerUrl);
			await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
			await expect(page.getByText('In trash', { exact: true })).toBeHidden();
			await expect(section(page, 'Primary contact')).toContainText(contact);
			await page.getByRole('tab', { name: 'Contacts' }).click();
			const card = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: contact });
			await expect(card).toContainText('Primary contact');
			await expectSynced(page);
		});
	});
}

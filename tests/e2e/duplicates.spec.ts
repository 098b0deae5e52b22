/**
 * [§2][§6] Duplicate contact e-mails (issue #14 item 4): the flag the server sets is shown on
 * both contacts, in the Persons list and on the customer page, with the way to resolve it — change
 * the address, or open the other contact when this user may. A flagged contact is offered no
 * portal password and no set-password e-mail. Changing one address clears the mark on both,
 * live.
 *
 * Two contacts with one address arise where no device sees both: here a staff member adds one
 * to a record of their own while the admin's private record already holds it (a device that
 * sees the other contact refuses the address as it is typed).
 */
import type { Page } from '@playwright/test';
import { addContact, createCompany } from './customers';
import {
	createStaffMember,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	signIn,
	test,
	uniqueStaff
} from './helpers';

test.setTimeout(150_000);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const WHY =
	'This address is also used by another contact: the portal cannot sign anyone in with it until it is changed.';

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

/** A contact's card on the Contacts tab, found by its name. */
function card(page: Page, name: string) {
	return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
}

async function showContacts(page: Page): Promise<void> {
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await expect(page.getByRole('list', { name: 'Contacts' })).toBeVisible();
}

async function openPersons(page: Page, search: string): Promise<ReturnType<Page['getByRole']>> {
	const menu = page.getByRole('button', { name: 'Menu', expanded: false });
	if (await menu.isVisible()) await menu.click();
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Persons' }).click();
	await expect(page.getByRole('heading', { name: 'Persons', level: 1 })).toBeVisible();
	await page.getByRole('searchbox', { name: 'Search' }).fill(search);
	return page.getByRole('table', { name: 'Persons' });
}

test('a duplicate e-mail is marked on both contacts, links to the other, blocks the set-password e-mail and clears once changed', async ({
	adminPage: page,
	newContext
}) => {
	const stamp = Date.now();
	const shared = `dup.${stamp}@example.com`;
	const companyA = `Doppel A ${stamp}`;
	const companyB = `Doppel B ${stamp}`;
	const uno = `Dora Uno-${stamp}`;
	const duo = `Dora Duo-${stamp}`;
	const staff = uniqueStaff('Dup');

	await page.setViewportSize(DESKTOP);
	await createStaffMember(page, staff);

	// The admin's private company holds the address first.
	const urlA = await createCompany(page, companyA);
	await addContact(page, 'Dora', `Uno-${stamp}`, { email: shared });
	await expectSynced(page);

	// A staff member, who cannot read that record, gives a contact of their own the same address.
	const staffContext = await newContext({ viewport: DESKTOP });
	const staffPage = await staffContext.newPage();
	await signIn(staffPage, staff);
	await createCompany(staffPage, companyB);
	await addContact(staffPage, 'Dora', `Duo-${stamp}`, { email: ` ${shared.toUpperCase()}` });
	await expectSynced(staffPage);

	// The server flags both. The staff member is told without being shown the other record.
	const staffCard = card(staffPage, duo);
	await expect(staffCard.getByText('Duplicate e-mail', { exact: true })).toBeVisible({ timeout: 15_000 });
	await expect(staffCard.getByText('Another contact you cannot open uses this address.')).toBeVisible();
	await expect(staffCard.getByRole('link', { name: /^Open / })).toHaveCount(0);
	await expect(staffCard.getByRole('button', { name: `Change the address of ${duo}` })).toBeVisible();
	// No portal password and no set-password e-mail for a flagged contact: the dialog says why.
	await staffCard.getByRole('button', { name: `Edit ${duo}` }).click();
	let dialog = staffPage.getByRole('dialog', { name: 'Edit contact' });
	await expect(dialog.getByText(WHY)).toBeVisible();
	await expect(dialog.getByRole('button', { name: 'Send set-password e-mail' })).toHaveCount(0);
	await expect(dialog.getByLabel('Password', { exact: true })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Close' }).click();

	// The admin reads both: the Persons list marks both contacts beside their e-mail.
	const persons = await openPersons(page, `dup.${stamp}`);
	const rowUno = persons.getByRole('row').filter({ hasText: uno });
	const rowDuo = persons.getByRole('row').filter({ hasText: duo });
	await expect(rowUno.getByRole('cell').filter({ hasText: shared }).getByText('Duplicate e-mail')).toBeVisible({
		timeout: 15_000
	});
	await expect(rowDuo.getByText('Duplicate e-mail')).toBeVisible();
	await page.setViewportSize(PHONE);
	await expect(rowUno.getByText('Duplicate e-mail')).toBeVisible();
	await expect(rowDuo.getByText('Duplicate e-mail')).toBeVisible();
	await expectNoHorizontalScroll(page);
	await page.setViewportSize(DESKTOP);

	// On the admin's record: the mark, why it matters, and a link that opens the other contact.
	await page.goto(urlA);
	await showContacts(page);
	const cardUno = card(page, uno);
	await expect(cardUno.getByText('Duplicate e-mail', { exact: true })).toBeVisible();
	await expect(cardUno.getByText('Another contact uses this e-mail address too.', { exact: false })).toBeVisible();
	await expectAccessible(page, 'contact card with a duplicate e-mail');
	await cardUno.getByRole('link', { name: `Open ${duo} (${companyB})` }).click();
	await expect(page.getByRole('heading', { name: companyB, level: 1 })).toBeVisible();
	const cardDuo = card(page, duo);
	await expect(cardDuo.getByText('Duplicate e-mail', { exact: true })).toBeVisible();
	await expect(cardDuo.getByRole('link', { name: `Open ${uno} (${companyA})` })).toBeVisible();

	// A flagged contact stays editable (its address, kept as it is, is not refused again), and
	// is offered no set-password e-mail.
	await cardDuo.getByRole('button', { name: `Edit ${duo}` }).click();
	dialog = page.getByRole('dialog', { name: 'Edit contact' });
	await expect(dialog.getByText(WHY)).toBeVisible();
	await expect(dialog.getByRole('button', { name: 'Send set-password e-mail' })).toHaveCount(0);
	await dialog.getByLabel('Position', { exact: true }).fill('Einkauf');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();
	await expect(cardDuo.getByText('Einkauf')).toBeVisible();

	// On a phone the card with its explanation fits the screen.
	await page.setViewportSize(PHONE);
	await expect(cardDuo.getByText('Duplicate e-mail', { exact: true })).toBeVisible();
	await expectNoHorizontalScroll(page);
	await expectAccessible(page, 'contact card with a duplicate e-mail on a phone');
	await page.setViewportSize(DESKTOP);

	// Resolved from the card: "Change the address" opens the dialog at the e-mail.
	await page.goto(urlA);
	await showContacts(page);
	await card(page, uno)
		.getByRole('button', { name: `Change the address of ${uno}` })
		.click();
	dialog = page.getByRole('dialog', { name: 'Edit contact' });
	const email = dialog.getByLabel('E-mail', { exact: true });
	await expect(email).toBeFocused();
	await email.fill(`uno.${stamp}@example.com`);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();

	// Both marks go, live: here, and on the staff member's open page of the other record.
	await expect(card(page, uno).getByText('Duplicate e-mail', { exact: true })).toHaveCount(0, { timeout: 15_000 });
	await expect(staffCard.getByText('Duplicate e-mail', { exact: true })).toHaveCount(0, { timeout: 15_000 });
	await expect(staffCard.getByText('Another contact you cannot open uses this address.')).toHaveCount(0);
	await staffCard.getByRole('button', { name: `Edit ${duo}` }).click();
	dialog = staffPage.getByRole('dialog', { name: 'Edit contact' });
	await expect(dialog.getByRole('button', { name: 'Send set-password e-mail' })).toBeVisible();
	await expect(dialog.getByText(WHY)).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Close' }).click();

	const after = await openPersons(page, `${stamp}`);
	await expect(after.getByRole('row').filter({ hasText: duo })).toBeVisible();
	await expect(after.getByText('Duplicate e-mail')).toHaveCount(0);
});

/**
 * [§2][§3.2][§5] The portal modules on the staff customer page (issue #12 items 3 and 5): a tab
 * per module with the tab and the open record in the URL, an invoice with lines made online and
 * offline with its totals computed by totals.ts, the send dialog's preselection from the
 * contacts' invoice flag and its ALL-selected notice, the send request syncing to the server,
 * and a ticket reply by staff arriving live on a second screen (a phone).
 */
import type { Page } from '@playwright/test';
import { createCompany, goOffline } from './customers';
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './helpers';

test.setTimeout(120_000);
test.use({ viewport: { width: 1280, height: 800 } });

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

/** Adds a contact in the Contacts tab; `invoiceFlag` ticks its "Invoice" e-mail notification. */
async function addContact(page: Page, first: string, last: string, email: string, invoiceFlag: boolean): Promise<void> {
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	await dialog.getByLabel('First name', { exact: true }).fill(first);
	await dialog.getByLabel('Last name', { exact: true }).fill(last);
	if (email) await dialog.getByLabel('E-mail', { exact: true }).fill(email);
	if (invoiceFlag)
		await dialog.getByRole('group', { name: 'E-mail notifications' }).getByLabel('Invoice', { exact: true }).check();
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();
}

/** Fills one line of the open sales document; the last field is left, which writes it. */
async function fillLine(
	page: Page,
	n: number,
	line: { description: string; quantity: string; price: string; tax: string }
) {
	const group = page.getByRole('group', { name: `Line ${n}`, exact: true });
	await group.getByLabel('Description').fill(line.description);
	await group.getByLabel('Quantity').fill(line.quantity);
	await group.getByLabel('Unit price').fill(line.price);
	await group.getByLabel('Tax %').fill(line.tax);
	await group.getByLabel('Tax %').blur();
}

test('[§3.2][§5] an invoice with lines online and offline shows its totals; the send dialog preselects the flagged contacts, warns that ALL selected get it, and the request syncs; a staff reply shows live on a phone', async ({
	page,
	newContext
}) => {
	const stamp = Date.now();
	await signIn(page, ADMIN);
	await createCompany(page, `Modulhaus ${stamp}`);
	const anna = `anna.${stamp}@example.com`;
	const bert = `bert.${stamp}@example.com`;
	await addContact(page, 'Anna', 'Flagged', anna, true);
	await addContact(page, 'Bert', 'Unflagged', bert, false);
	await addContact(page, 'Carl', 'Nomail', '', true);

	// The module tabs are ARIA tabs: the arrow keys move between them, and the URL follows.
	const tabs = page.getByRole('tablist', { name: 'Customer sections' });
	await expect(tabs.getByRole('tab')).toHaveText([
		'Details',
		'Contacts',
		'Invoices',
		'Estimates',
		'Proposals',
		'Contracts',
		'Support',
		'Projects',
		'History'
	]);
	await tabs.getByRole('tab', { name: 'Contacts' }).press('ArrowRight');
	await expect(tabs.getByRole('tab', { name: 'Invoices' })).toBeFocused();
	await expect(tabs.getByRole('tab', { name: 'Invoices' })).toHaveAttribute('aria-selected', 'true');
	await expect(page).toHaveURL(/\?tab=invoices$/);
	const panel = page.getByRole('tabpanel', { name: 'Invoices' });
	await expect(panel.getByText('Nothing here yet.')).toBeVisible();

	// Online: a new invoice shows a draft number until the server numbers it (at once, online).
	await panel.getByRole('button', { name: 'New invoice' }).click();
	await expect(page).toHaveURL(/\?tab=invoices&open=[\w-]+$/);
	const invoiceUrl = page.url();
	await expect(panel.getByRole('heading', { name: /^Invoice (Draft number|INV-\d{6})$/, level: 2 })).toBeFocused();
	await panel.getByRole('button', { name: 'Add line' }).click();
	await fillLine(page, 1, { description: 'Consulting', quantity: '2,5', price: '100', tax: '19' });
	await expectSynced(page);

	// Offline: a second line, and the totals with the tax per rate.
	await goOffline(page);
	await panel.getByRole('button', { name: 'Add line' }).click();
	await fillLine(page, 2, { description: 'Travel', quantity: '1', price: '49.99', tax: '7' });
	const totals = panel.getByRole('group', { name: 'Totals' });
	await expect(totals.getByRole('term')).toHaveText(['Subtotal', 'Tax 7 %', 'Tax 19 %', 'Total']);
	await expect(totals.getByRole('definition')).toHaveText(['€299.99', '€3.50', '€47.50', '€350.99']);
	// A bad amount stays at its field with the reason, and is not written.
	const price = page.getByRole('group', { name: 'Line 2' }).getByLabel('Unit price');
	await price.fill('12.345');
	await price.blur();
	await expect(price).toHaveAccessibleDescription('Enter an amount, e.g. 12.50.');
	await expect(totals.getByRole('definition').last()).toHaveText('€350.99');

	// The send dialog: exactly the flagged contacts with an e-mail are preselected.
	await panel.getByRole('button', { name: 'Send', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: /^Send Invoice (Draft number|INV-\d{6})$/ });
	await expect(dialog.getByRole('checkbox', { name: 'Anna Flagged' })).toBeChecked();
	await expect(dialog.getByRole('checkbox', { name: 'Bert Unflagged' })).not.toBeChecked();
	await expect(dialog.getByRole('checkbox', { name: 'Carl Nomail' })).toBeDisabled();
	await expect(dialog.getByRole('checkbox', { name: 'Carl Nomail' })).toHaveAccessibleDescription(
		'No e-mail address: cannot receive mail.'
	);
	const allNotice = dialog.getByText('the mail goes to ALL selected contacts');
	await expect(allNotice).toBeHidden();
	await expect(
		dialog.getByText('You are offline: the mail is sent once this change reaches the server.')
	).toBeVisible();
	await dialog.getByRole('checkbox', { name: 'Bert Unflagged' }).check();
	await expect(allNotice).toBeVisible();
	await expectAccessible(page, 'an invoice with the send dialog open');
	await dialog.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(dialog).toBeHidden();
	await expect(panel.getByText('Waiting to send to Anna Flagged, Bert Unflagged')).toBeVisible();
	await expect(panel.getByLabel('Status')).toHaveValue('sent');
	await expect(panel.getByRole('region', { name: 'Sent' })).toContainText('to Anna Flagged, Bert Unflagged');

	// Back to the list: the invoice is listed as sent with its total; Back in the browser reopens it.
	await panel.getByRole('button', { name: 'Back to the list' }).click();
	await expect(page).toHaveURL(/\?tab=invoices$/);
	await expect(panel.getByRole('list', { name: 'Invoices' }).getByRole('button')).toContainText([
		/(Draft number|INV-\d{6}).*Sent.*€350\.99/
	]);
	await page.goBack();
	await expect(page).toHaveURL(invoiceUrl);
	await expect(panel.getByRole('heading', { name: /^Invoice (Draft number|INV-\d{6})$/, level: 2 })).toBeVisible();

	// Online again: the change (the send request with it) reaches the server, which has numbered it.
	await page.context().setOffline(false);
	await expectSynced(page);
	await expect(panel.getByRole('heading', { name: /^Invoice INV-\d{6}$/, level: 2 })).toBeVisible();

	// A second screen — a phone — opens the invoice by its link: the server holds it all.
	const phone = await (await newContext({ viewport: { width: 390, height: 844 } })).newPage();
	await signIn(phone, ADMIN);
	// A fresh device first syncs everything the admin may read (every test's records by now).
	await expectSynced(phone);
	await phone.goto(invoiceUrl);
	const phonePanel = phone.getByRole('tabpanel', { name: 'Invoices' });
	await expect(phonePanel.getByRole('group', { name: 'Totals' }).getByRole('definition').last()).toHaveText('€350.99');
	await expect(phonePanel.getByRole('region', { name: 'Sent' })).toContainText('to Anna Flagged, Bert Unflagged');
	await expectNoHorizontalScroll(phone);

	// Support: a ticket opened on the desktop; the phone opens it; a staff reply arrives live.
	await page.getByRole('tab', { name: 'Support' }).click();
	const support = page.getByRole('tabpanel', { name: 'Support' });
	await support.getByLabel('Subject').fill('Printer jams');
	await support.getByRole('button', { name: 'Open ticket' }).click();
	await expect(support.getByRole('heading', { name: 'Printer jams', level: 2 })).toBeVisible();
	await phone.getByRole('tab', { name: 'Support' }).click();
	const phoneSupport = phone.getByRole('tabpanel', { name: 'Support' });
	await phoneSupport.getByRole('button', { name: /Printer jams/ }).click();
	await expect(phoneSupport.getByText('No replies yet.')).toBeVisible();
	await support.getByLabel('Your reply').fill('A technician comes on Monday.');
	await support.getByRole('button', { name: 'Send reply' }).click();
	await expect(phoneSupport.getByRole('listitem').filter({ hasText: 'A technician comes on Monday.' })).toBeVisible();
	await expectNoHorizontalScroll(phone);
	await expectAccessible(phone, 'a ticket thread on a phone');
});

// Enable after the SERVER branch of #12 is merged: the server mails a stored send request.
test('[§3.2] a synced send request puts the invoice mail for every selected contact in the outbox', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	await createCompany(page, `Outbox ${stamp}`);
	const anna = `anna.out.${stamp}@example.com`;
	const bert = `bert.out.${stamp}@example.com`;
	await addContact(page, 'Anna', 'Flagged', anna, true);
	await addContact(page, 'Bert', 'Unflagged', bert, false);
	await page.getByRole('tab', { name: 'Invoices' }).click();
	const panel = page.getByRole('tabpanel', { name: 'Invoices' });
	await panel.getByRole('button', { name: 'New invoice' }).click();
	await panel.getByRole('button', { name: 'Send', exact: true }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('checkbox', { name: 'Bert Unflagged' }).check();
	await dialog.getByRole('button', { name: 'Send', exact: true }).click();
	await expectSynced(page);
	// ALL selected contacts get the mail: the flagged one and the one added by hand.
	for (const to of [anna, bert]) {
		await expect(async () => {
			await page.goto(`/admin/email?to=${encodeURIComponent(to)}`);
			const table = page.getByRole('table', { name: 'Outbox' });
			await expect(table.getByRole('row').filter({ hasText: /invoice/i })).toHaveCount(1, { timeout: 1000 });
		}).toPass({ timeout: 15_000 });
	}
});

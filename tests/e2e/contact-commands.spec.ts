/**
 * [§2, §5] Portal credentials of a contact from the contact dialog: staff set a password
 * online only (it goes straight to the server, never into the Y.Doc or device storage), and
 * "Send set-password e-mail" is a device command that waits offline and is requested once the
 * device is online again.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, signIn, test } from './helpers';

test.setTimeout(90_000);

async function createCompany(page: Page, name: string): Promise<void> {
	await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Companies' }).click();
	await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Create Company' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Company name').fill(name);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function addContact(page: Page, first: string, last: string, email: string): Promise<void> {
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: 'New contact' }).click();
	const dialog = page.getByRole('dialog', { name: 'New contact' });
	// A new contact is not on the server yet: its password is set by editing it once saved.
	await expect(dialog.getByLabel('Password', { exact: true })).toHaveCount(0);
	await dialog.getByLabel('First name', { exact: true }).fill(first);
	await dialog.getByLabel('Last name', { exact: true }).fill(last);
	await dialog.getByLabel('E-mail', { exact: true }).fill(email);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('tabpanel').getByRole('button', { name: `Edit ${first} ${last}` })).toBeVisible();
}

test('set a password online; a set-password e-mail asked for offline is requested once online', async ({ page }) => {
	await signIn(page, ADMIN);
	const stamp = Date.now();
	await createCompany(page, `Portal AG ${stamp}`);
	await addContact(page, 'Paula', 'Portal', `paula.${stamp}@example.com`);
	// The contact must have reached the server before it can get a password.
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });

	await page.getByRole('button', { name: 'Edit Paula Portal' }).click();
	const dialog = page.getByRole('dialog', { name: 'Edit contact' });
	const password = dialog.getByLabel('Password', { exact: true });
	const setPassword = dialog.getByRole('button', { name: 'Set password', exact: true });
	const sendEmail = dialog.getByRole('button', { name: 'Send set-password e-mail', exact: true });

	// Too short: refused at the field, nothing sent, the dialog stays open.
	await password.fill('short');
	await setPassword.click();
	await expect(password).toHaveAttribute('aria-invalid', 'true');
	await expect(password).toHaveAccessibleDescription(/Use at least 8 characters\./);

	// Online: the password is set and the field cleared. (Should the contact not have reached
	// the server yet, the dialog says so and the user tries again a moment later.)
	const secret = `portal-${stamp}-secret`;
	await expect(async () => {
		await password.fill(secret);
		await setPassword.click();
		await expect(dialog.getByRole('status').filter({ hasText: 'The password of Paula Portal was set.' })).toBeVisible({
			timeout: 2000
		});
	}).toPass({ timeout: 15_000 });
	await expect(password).toHaveValue('');
	await expect(password).not.toHaveAttribute('aria-invalid');
	// [§5] the password is in no storage of the device
	const stored = await page.evaluate(() => JSON.stringify(Object.values(localStorage)));
	expect(stored).not.toContain(secret);

	// [§6] Their data for an access request (issue #13 item 5): everything stored, no secret.
	const download = page.waitForEvent('download');
	await dialog.getByRole('link', { name: 'Download all their data (JSON)' }).click();
	const file = await (await download).path();
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	expect(data.contact.fields).toMatchObject({
		firstName: 'Paula',
		lastName: 'Portal',
		email: `paula.${stamp}@example.com`
	});
	expect(Date.parse(data.portal.passwordSetAt)).toBeGreaterThan(0);
	expect(JSON.stringify(data)).not.toContain(secret);

	// Offline: no password can be set; the e-mail waits on the device; the data needs the server.
	await page.context().setOffline(true);
	await expect(dialog.getByText('Downloading their data needs a connection.')).toBeVisible();
	await expect(password).toBeDisabled();
	await expect(setPassword).toBeDisabled();
	await expect(password).toHaveAccessibleDescription('Setting a password needs a connection');
	await sendEmail.click();
	await expect(
		dialog.getByRole('status').filter({ hasText: 'Set-password e-mail queued: it is sent when this device is online.' })
	).toBeVisible();
	await expect(sendEmail).toBeDisabled(); // a second click cannot ask for a second e-mail
	await expectAccessible(page, 'contact dialog, offline, with a queued set-password e-mail');

	// Back online: the command is sent and the e-mail requested.
	await page.context().setOffline(false);
	await expect(dialog.getByRole('status').filter({ hasText: 'Set-password e-mail requested.' })).toBeVisible({
		timeout: 15_000
	});
	await expect(sendEmail).toBeEnabled();
	await expect(password).toBeEnabled();
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toBeHidden();
});

/**
 * [§2][§4] Create Person asks what the seed article's contact form asks (issue #13 item 2):
 * the contact type, and "Do not send welcome e-mail" — ticked, the new person gets no welcome
 * mail; unticked, one is queued.
 */
import { ADMIN, expect, expectAccessible, signIn, test } from './helpers';

async function createPerson(
	page: import('@playwright/test').Page,
	first: string,
	last: string,
	email: string,
	noWelcome: boolean
) {
	await page.goto('/persons');
	await expect(page.getByRole('heading', { name: 'Persons', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Create Person' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Person' });
	await dialog.getByLabel('First name').fill(first);
	await dialog.getByLabel('Last name').fill(last);
	await dialog.getByLabel('E-mail', { exact: true }).fill(email);
	await expect(dialog.getByLabel('Contact type')).toHaveValue(/.+/);
	await expect(dialog.getByLabel('Contact type').locator('option:checked')).toHaveText('Not specified');
	if (noWelcome) {
		await dialog.getByLabel('Do not send welcome e-mail').check();
		await expectAccessible(page, 'create person with the welcome e-mail unticked');
	}
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('heading', { name: `${first} ${last}`, level: 1 })).toBeVisible();
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
}

test('Create Person: "Do not send welcome e-mail" keeps the welcome mail from being written', async ({ page }) => {
	await signIn(page, ADMIN);
	const stamp = Date.now();
	const quiet = `quiet.${stamp}@example.com`;
	const welcomed = `welcomed.${stamp}@example.com`;
	await createPerson(page, 'Quinn', `Quiet ${stamp}`, quiet, true);
	await createPerson(page, 'Wanda', `Welcomed ${stamp}`, welcomed, false);
	// The outbox (Settings → E-mail): a welcome for one, nothing for the other.
	await expect(async () => {
		await page.goto(`/admin/email?to=${encodeURIComponent(welcomed)}`);
		await expect(
			page
				.getByRole('table', { name: 'Outbox' })
				.getByRole('row')
				.filter({ hasText: /welcome/i })
		).toHaveCount(1, {
			timeout: 1000
		});
	}).toPass({ timeout: 15_000 });
	await page.goto(`/admin/email?to=${encodeURIComponent(quiet)}`);
	await expect(page.getByText('No mail here.')).toBeVisible();
});

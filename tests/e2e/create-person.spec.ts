/**
 * [§2][§4] Create Person asks what the seed article's contact form asks (issue #13 item 2):
 * the contact type, and "Do not send welcome e-mail" — ticked, the new person gets no welcome
 * mail; unticked, one is queued.
 */
import { shownValue } from './customers';
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';

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

test('Create Person: "Do not send welcome e-mail" keeps the welcome mail from being written', async ({
	adminPage: page
}) => {
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

/**
 * [§4] Create Person with the richer fields and a person field (issue #13 items 1 and 2): what
 * is typed in "More details" and the additional fields is on the new person's page. The field
 * is named per test and not required, so people created beside this test are not affected.
 */
test('Create Person: more details, a flag and a person field are kept and shown on the customer page', async ({
	adminPage: page
}) => {
	test.setTimeout(90_000);
	const stamp = Date.now();
	const field = `Shoe size ${stamp}`;
	const last = `Rich ${stamp}`;
	await page.goto('/settings');
	const settings = page.getByRole('region', { name: 'Additional fields' });
	const form = settings.getByRole('button', { name: 'Add field' }).locator('xpath=ancestor::form');
	await form.getByLabel('Label').fill(field);
	await form.getByLabel('Type').selectOption({ label: 'Number' });
	await form.getByLabel('Used for').selectOption({ label: 'Persons' });
	await form.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('status').filter({ hasText: `“${field}” was added.` })).toBeVisible();

	await page.goto('/persons');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('button', { name: 'Create Person' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Person' });
	await dialog.getByLabel('First name').fill('Rosa');
	await dialog.getByLabel('Last name').fill(last);
	await dialog.getByLabel('E-mail', { exact: true }).fill(`rosa.${stamp}@example.com`);
	await dialog.getByLabel('Phone', { exact: true }).fill('+49 30 5550100');
	// "More details" is folded away at first; the person field is not.
	await expect(dialog.getByLabel('Name prefix', { exact: true })).toBeHidden();
	await dialog.getByText('More details').click();
	await dialog.getByLabel('Name prefix', { exact: true }).fill('Dr.');
	await dialog.getByLabel('Department', { exact: true }).fill('Research');
	await dialog.getByRole('button', { name: 'Add phone' }).click();
	await dialog.getByLabel('Phone 2', { exact: true }).fill('+49 171 5550123');
	await dialog.getByLabel('Day', { exact: true }).fill('3');
	await dialog.getByLabel('Month', { exact: true }).selectOption('5');
	await dialog.getByLabel('Tags', { exact: true }).fill('Lab, VIP');
	await dialog.getByLabel('Do not call', { exact: true }).check();
	await dialog.getByLabel(field, { exact: true }).fill('not a number');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	// The device checks the field before anything is created; nothing typed is lost.
	await expect(dialog.getByRole('alert').first()).toBeVisible();
	await expect(dialog.getByLabel(field, { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(dialog.getByLabel('Department', { exact: true })).toHaveValue('Research');
	await dialog.getByLabel(field, { exact: true }).fill('44');
	await expectAccessible(page, 'Create Person with more details at phone width');
	await expectNoHorizontalScroll(page);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();

	await expect(page.getByRole('heading', { name: `Rosa ${last}`, level: 1 })).toBeVisible();
	await expect(shownValue(page, field)).toHaveText('44');
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: `Edit Rosa ${last}` }).click();
	const edit = page.getByRole('dialog', { name: 'Edit contact' });
	await expect(edit.getByLabel('Name prefix', { exact: true })).toHaveValue('Dr.');
	await expect(edit.getByLabel('Department', { exact: true })).toHaveValue('Research');
	await expect(edit.getByLabel('Phone', { exact: true })).toHaveValue('+49 30 5550100');
	await expect(edit.getByLabel('Phone 2', { exact: true })).toHaveValue('+49 171 5550123');
	await expect(edit.getByLabel('Month', { exact: true })).toHaveValue('5');
	await expect(edit.getByLabel('Tags', { exact: true })).toHaveValue('Lab, VIP');
	await expect(edit.getByLabel('Do not call', { exact: true })).toBeChecked();
	await expect(edit.getByLabel('Do not e-mail', { exact: true })).not.toBeChecked();
	await expect(edit.getByLabel(field, { exact: true })).toHaveValue('44');

	// The device's search finds her by her second phone (issue #13 item 2).
	await page.goto('/persons');
	await page.getByLabel('Search').fill('0171 5550123');
	await expect(page.getByRole('table', { name: 'Persons' }).getByRole('row').filter({ hasText: last })).toHaveCount(1);
});

test('Create Person: "make primary" in more details swaps a further e-mail and phone with the ones typed above', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	await page.goto('/persons');
	await page.getByRole('button', { name: 'Create Person' }).click();
	const dialog = page.getByRole('dialog', { name: 'Create Person' });
	await dialog.getByLabel('E-mail', { exact: true }).fill(`work.${stamp}@example.com`);
	await dialog.getByLabel('Phone', { exact: true }).fill('+49 30 5550100');
	await dialog.getByText('More details').click();
	await dialog.getByLabel('Label of E-mail', { exact: true }).selectOption('work');
	await dialog.getByRole('button', { name: 'Add e-mail' }).click();
	await dialog.getByLabel('E-mail 2', { exact: true }).fill(`home.${stamp}@example.com`);
	await dialog.getByLabel('Label of E-mail 2', { exact: true }).selectOption('home');
	await dialog.getByRole('button', { name: 'Make E-mail 2 primary' }).click();
	await expect(dialog.getByLabel('E-mail', { exact: true })).toHaveValue(`home.${stamp}@example.com`);
	await expect(dialog.getByLabel('Label of E-mail', { exact: true })).toHaveValue('home');
	await expect(dialog.getByLabel('E-mail 2', { exact: true })).toHaveValue(`work.${stamp}@example.com`);
	await expect(dialog.getByLabel('Label of E-mail 2', { exact: true })).toHaveValue('work');
	await dialog.getByRole('button', { name: 'Add phone' }).click();
	await dialog.getByLabel('Phone 2', { exact: true }).fill('+49 171 5550123');
	await dialog.getByRole('button', { name: 'Make Phone 2 primary' }).click();
	await expect(dialog.getByLabel('Phone', { exact: true })).toHaveValue('+49 171 5550123');
	await expect(dialog.getByLabel('Phone 2', { exact: true })).toHaveValue('+49 30 5550100');
});

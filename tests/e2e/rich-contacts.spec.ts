/**
 * Richer contacts in the contact dialog (issue #13 item 2): two labelled e-mails and two
 * labelled phones with the second e-mail made primary, a birthday without a year, tags and
 * "do not e-mail" — kept after a reload; the dialog accessible and without sideways scrolling
 * at phone width.
 */
import { expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';
import { addContact, closeSection, createCompany, editField, openSection, section } from './customers';

test('a contact with labelled e-mails and phones, a year-less birthday, tags and do-not-e-mail keeps them', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	const last = `Curie${stamp}`;
	const work = `marie.${stamp}@lab.example`;
	const home = `marie.${stamp}@home.example`;
	await createCompany(page, `Institut ${stamp}`);
	await addContact(page, 'Marie', last, { email: work });

	await page.getByRole('button', { name: `Edit Marie ${last}` }).click();
	let dialog = page.getByRole('dialog', { name: 'Edit contact' });
	await dialog.getByLabel('Label of E-mail', { exact: true }).selectOption('work');
	await dialog.getByRole('button', { name: 'Add e-mail' }).click();
	await dialog.getByLabel('E-mail 2', { exact: true }).fill(home);
	await dialog.getByLabel('Label of E-mail 2', { exact: true }).selectOption('home');
	await dialog.getByRole('button', { name: 'Make E-mail 2 primary' }).click();
	await expect(dialog.getByLabel('E-mail', { exact: true })).toHaveValue(home);
	await expect(dialog.getByLabel('E-mail 2', { exact: true })).toHaveValue(work);

	await dialog.getByLabel('Phone', { exact: true }).fill('01 44 27 00 00');
	await dialog.getByLabel('Label of Phone', { exact: true }).selectOption('work');
	await dialog.getByRole('button', { name: 'Add phone' }).click();
	await dialog.getByLabel('Phone 2', { exact: true }).fill('06 12 34 56 78');
	await dialog.getByLabel('Label of Phone 2', { exact: true }).selectOption('mobile');

	await dialog.getByLabel('Name prefix', { exact: true }).fill('Mme');
	await dialog.getByLabel('Day', { exact: true }).fill('7');
	await dialog.getByLabel('Month', { exact: true }).selectOption('11');
	await dialog.getByLabel('Tags', { exact: true }).fill('Nobel, physics, nobel');
	await dialog.getByLabel('Do not e-mail', { exact: true }).check();

	await page.setViewportSize({ width: 360, height: 800 });
	await expectAccessible(page, 'the contact dialog with richer fields at phone width');
	await expectNoHorizontalScroll(page);
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog).toBeHidden();

	await page.reload();
	await page.getByRole('tab', { name: 'Contacts' }).click();
	await page.getByRole('button', { name: `Edit Marie ${last}` }).click();
	dialog = page.getByRole('dialog', { name: 'Edit contact' });
	await expect(dialog.getByLabel('E-mail', { exact: true })).toHaveValue(home);
	await expect(dialog.getByLabel('Label of E-mail', { exact: true })).toHaveValue('home');
	await expect(dialog.getByLabel('E-mail 2', { exact: true })).toHaveValue(work);
	await expect(dialog.getByLabel('Label of E-mail 2', { exact: true })).toHaveValue('work');
	await expect(dialog.getByLabel('Phone', { exact: true })).toHaveValue('01 44 27 00 00');
	await expect(dialog.getByLabel('Phone 2', { exact: true })).toHaveValue('06 12 34 56 78');
	await expect(dialog.getByLabel('Label of Phone 2', { exact: true })).toHaveValue('mobile');
	await expect(dialog.getByLabel('Name prefix', { exact: true })).toHaveValue('Mme');
	await expect(dialog.getByLabel('Day', { exact: true })).toHaveValue('7');
	await expect(dialog.getByLabel('Month', { exact: true })).toHaveValue('11');
	await expect(dialog.getByLabel('Year', { exact: true })).toHaveValue('');
	await expect(dialog.getByLabel('Tags', { exact: true })).toHaveValue('Nobel, physics');
	await expect(dialog.getByLabel('Do not e-mail', { exact: true })).toBeChecked();

	// A day no calendar has is refused with a clear message, and nothing typed is lost.
	await dialog.getByLabel('Day', { exact: true }).fill('31');
	await dialog.getByLabel('Month', { exact: true }).selectOption('2');
	await dialog.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(dialog.getByText('This is not a date')).toBeVisible();
	await expect(dialog.getByLabel('Tags', { exact: true })).toHaveValue('Nobel, physics');
});

test('a company keeps further labelled e-mails and phones; make primary swaps with the primary one', async ({
	adminPage: page
}) => {
	const stamp = Date.now();
	await createCompany(page, `Values ${stamp} AG`);
	await editField(page, 'E-mail', `info.${stamp}@values.example`);
	const name = 'More e-mails and phones';
	let region = await openSection(page, name);
	await region.getByRole('button', { name: 'Add e-mail' }).click();
	await region.getByLabel('E-mail 2', { exact: true }).fill(`sales.${stamp}@values.example`);
	await region.getByLabel('Label of E-mail 2', { exact: true }).selectOption('work');
	await region.getByRole('button', { name: 'Add phone' }).click();
	await region.getByLabel('Phone 2', { exact: true }).fill('+41 44 555 12 12');
	await region.getByLabel('Label of Phone 2', { exact: true }).selectOption('fax');
	await closeSection(page, name);
	await expect(section(page, name).getByRole('link', { name: `sales.${stamp}@values.example` })).toBeVisible();
	await expect(section(page, name)).toContainText('E-mail 2 (Work)');
	// The company had no phone: the first one added is its primary phone.
	await expect(section(page, 'E-mail, phone and web')).toContainText('+41 44 555 12 12');

	await page.reload();
	region = await openSection(page, name);
	await region.getByRole('button', { name: 'Make E-mail 2 primary' }).click();
	await closeSection(page, name);
	// The primary e-mail is the company's e-mail now (shown in "E-mail, phone and web").
	await expect(
		section(page, 'E-mail, phone and web').getByRole('link', { name: `sales.${stamp}@values.example` })
	).toBeVisible();
	await expect(section(page, name).getByRole('link', { name: `info.${stamp}@values.example` })).toBeVisible();
});

/**
 * Staff administration: a password reset and a deactivation end the member's sessions;
 * reactivation lets them sign in again.
 */
import {
	ADMIN,
	addStaffMember,
	expect,
	expectAccessible,
	expectSignInRefused,
	signIn,
	staffRow,
	test,
	uniqueStaff
} from './helpers';

test('admin resets a password: the old one stops working, the new one works', async ({
	adminPage: page,
	newContext
}) => {
	const staff = uniqueStaff('Reset');
	const newPassword = `new-${staff.password}`;
	await addStaffMember(page, staff);

	const staffPage = await (await newContext()).newPage();
	await signIn(staffPage, staff);

	const row = staffRow(page, staff.email);
	const toggle = row.getByRole('button', { name: 'Reset password', expanded: false });
	await toggle.click();
	await expect(row.getByRole('button', { name: 'Reset password', expanded: true })).toBeVisible();
	await row.getByLabel(`New password for ${staff.name}`).fill(newPassword);
	await expectAccessible(page, 'the staff admin page with the reset form open');
	await row.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByRole('main').getByRole('status')).toHaveText(
		`The password of ${staff.name} was changed and their sessions were ended.`
	);
	await expect(row.getByLabel(`New password for ${staff.name}`)).toHaveCount(0);

	// Their open session has ended.
	await staffPage.reload();
	await expect(staffPage.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await expect(staffPage).toHaveURL(/\/login$/);

	await expectSignInRefused(staffPage, staff);
	await signIn(staffPage, { email: staff.email, password: newPassword });
	await expect(staffPage.getByRole('heading', { name: 'Overview' })).toBeVisible();
});

test('admin deactivates a staff member, who is signed out and cannot sign in until reactivated', async ({
	adminPage: page,
	newContext
}) => {
	const staff = uniqueStaff('Deactivate');
	await addStaffMember(page, staff);

	const staffPage = await (await newContext()).newPage();
	await signIn(staffPage, staff);
	await expect(staffPage.getByRole('heading', { name: 'Overview' })).toBeVisible();

	const row = staffRow(page, staff.email);
	await row.getByRole('button', { name: `Deactivate ${staff.name}` }).click();
	await expect(page.getByRole('main').getByRole('status')).toHaveText(
		`${staff.name} was deactivated and signed out everywhere.`
	);
	await expect(row.getByRole('cell', { name: 'Deactivated', exact: true })).toBeVisible();
	await expect(row.getByRole('button', { name: `Deactivate ${staff.name}` })).toHaveCount(0);
	await expectAccessible(page, 'the staff admin page with a deactivated member');

	await staffPage.reload();
	await expect(staffPage.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await expect(staffPage).toHaveURL(/\/login$/);
	await expectSignInRefused(staffPage, staff);

	await row.getByRole('button', { name: `Reactivate ${staff.name}` }).click();
	await expect(page.getByRole('main').getByRole('status')).toHaveText(`${staff.name} can sign in again.`);
	await expect(row.getByRole('cell', { name: 'Active', exact: true })).toBeVisible();

	await signIn(staffPage, staff);
	await expect(staffPage.getByRole('heading', { name: 'Overview' })).toBeVisible();
});

test('an admin is offered no button to deactivate themselves', async ({ adminPage: page }) => {
	await page.goto('/admin/staff');
	const row = staffRow(page, ADMIN.email);
	await expect(row.getByText('(you)')).toBeVisible();
	await expect(row.getByRole('button', { name: /^Deactivate/ })).toHaveCount(0);
});

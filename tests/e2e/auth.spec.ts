/**
 * The acceptance path of the foundation: the admin adds a staff member, who signs in without
 * admin rights; sign-in failures get one generic answer.
 */
import {
	ADMIN,
	addStaffMember,
	expect,
	expectAccessible,
	expectSignInRefused,
	signIn,
	signOut,
	staffRow,
	test,
	uniqueStaff
} from './helpers';

test('admin adds a staff member, who signs in and sees no admin pages', async ({ page }) => {
	const staff = uniqueStaff('Acceptance');

	await page.goto('/login');
	await expect(page.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await expectAccessible(page, 'the login page');

	await signIn(page, ADMIN);
	await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
	await expect(page.getByText(`Signed in as ${ADMIN.email.split('@')[0]}`)).toBeVisible();
	await expectAccessible(page, 'the overview (admin)');

	const nav = page.getByRole('navigation', { name: 'Main navigation' });
	await nav.getByRole('link', { name: 'Staff' }).click();
	await expect(page).toHaveURL(/\/admin\/staff$/);
	await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Staff' })).toHaveAttribute('aria-current', 'page');
	await expectAccessible(page, 'the staff admin page');

	await addStaffMember(page, staff, 'Staff');
	const row = staffRow(page, staff.email);
	await expect(row.getByRole('cell', { name: staff.name, exact: true })).toBeVisible();
	await expect(row.getByRole('cell', { name: 'Staff', exact: true })).toBeVisible();
	await expect(row.getByRole('cell', { name: 'Active', exact: true })).toBeVisible();
	await expectAccessible(page, 'the staff admin page after adding a member');

	await signOut(page);

	await signIn(page, staff);
	await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
	await expect(page.getByText(`Welcome, ${staff.name}.`)).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Overview' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Staff' })).toHaveCount(0);
	await expectAccessible(page, 'the overview (staff)');

	// The staff app renders in the browser; the server refuses the admin data itself.
	expect((await page.request.get('/api/staff')).status()).toBe(403);
	await page.goto('/admin/staff');
	await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
	await expect(page.getByText('Only admins can open this page.')).toBeVisible();
	await expectAccessible(page, 'the 403 page');

	await page.getByRole('link', { name: 'Back to the overview' }).click();
	await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
	await signOut(page);
});

test('a wrong password and an unknown e-mail get the same generic error', async ({ page }) => {
	await expectSignInRefused(page, { email: ADMIN.email, password: 'not the password' });
	await expect(page.getByLabel('E-mail')).toHaveValue(ADMIN.email);
	await expectAccessible(page, 'the login page with an error');

	await expectSignInRefused(page, { email: uniqueStaff('Nobody').email, password: 'not the password' });
});

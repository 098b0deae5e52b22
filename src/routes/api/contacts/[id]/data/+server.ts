import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import { serverCustomFields } from '$server/custom-values';
import { contactVcard, customerOfContact, readContactData, storedAbout, type ContactDataExport } from '$server/export/contact-data';
import type { RequestHandler } from './$types';

/**
 * A contact's full data (issue #13 item 5, a GDPR access request): JSON by default,
 * `?format=vcf` for the vCard. Staff who may read the contact's customer; any other id — not
 * there, not readable, malformed — is the same 404. Online only: the server holds the truth.
 */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const format = url.searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'vcf') return json({ error: 'bad_query', param: 'format' }, { status: 400 });
	const notFound = () => json({ error: 'not_found' }, { status: 404 });
	if (params.id.length > 128) return notFound();
	const { db, access, docs, sync } = getContext();
	const user = locals.user;
	const customerId = customerOfContact(db, params.id);
	if (!customerId || !access.canRead(user, customerId)) return notFound();
	const read = await docs.read(customerId, (doc) => readContactData(doc, params.id));
	if (!read) return notFound();
	const data: ContactDataExport = {
		format: 'fieldbook.contact-data/1',
		exportedAt: new Date().toISOString(),
		exportedBy: { id: user.id, name: user.name },
		contact: { id: params.id, customerId, customerName: read.customerName, fields: read.fields },
		moduleRecords: read.moduleRecords,
		...storedAbout(db, customerId, params.id)
	};
	const base = `contact-${params.id}`;
	const [body, type, name] =
		format === 'vcf'
			? [contactVcard(data, serverCustomFields(db), sync.phoneRegion()), 'text/vcard; charset=utf-8', `${base}.vcf`]
			: [JSON.stringify(data, null, 2), 'application/json; charset=utf-8', `${base}.json`];
	return new Response(body, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};

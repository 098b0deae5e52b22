/**
 * The rows of the Persons and Companies lists as the SQL projection holds them (migration
 * 003, server/projection.ts), for the list export: live records only (not in the trash),
 * with the customer's managers. Who may read which row is not decided here: the export asks
 * the access rules (src/lib/schema/access.ts through the AccessIndex) row by row.
 */
import { parseDetails, type RecordDetails } from '../../src/lib/schema/record-details.ts';
import type { Db } from '../db.ts';

export interface CustomerRow {
	customerId: string;
	kind: 'company' | 'person';
	companyName: string | null;
	email: string | null;
	phone: string | null;
	city: string | null;
	country: string | null;
	contactTypeId: string | null;
	updatedAt: number | null;
	managers: string[];
	/** Labelled e-mails and phones, address, … (record-details.ts; migration 014). */
	details: RecordDetails;
}

export interface CompanyRow extends CustomerRow {
	contactCount: number;
}

export interface PersonRow extends CustomerRow {
	contactId: string;
	firstName: string | null;
	lastName: string | null;
	position: string | null;
	contactEmail: string | null;
	contactPhone: string | null;
	primary: boolean;
	/** The contact's own details; `details` are its customer's. */
	contactDetails: RecordDetails;
}

const CUSTOMER_COLUMNS = `cu.id AS customerId, cu.kind AS kind, cu.company_name AS companyName, cu.email AS email,
	cu.phone AS phone, cu.city AS city, cu.country AS country, cu.contact_type_id AS contactTypeId,
	cu.updated_at AS updatedAt, cu.details AS detailsJson,
	(SELECT group_concat(m.user_id, char(31)) FROM customer_managers m WHERE m.customer_id = cu.id) AS managerIds`;

const PERSONS = `SELECT ${CUSTOMER_COLUMNS}, c.id AS contactId, c.first_name AS firstName, c.last_name AS lastName,
		c.position AS position, c.email AS contactEmail, c.phone AS contactPhone, c.is_primary AS isPrimary,
		c.details AS contactDetailsJson
	 FROM contacts c JOIN customers cu ON cu.id = c.customer_id
	 WHERE c.deleted_at IS NULL AND cu.deleted_at IS NULL`;

function prepare(db: Db) {
	return {
		companies: db.prepare(
			`SELECT ${CUSTOMER_COLUMNS},
				(SELECT count(*) FROM contacts c WHERE c.customer_id = cu.id AND c.deleted_at IS NULL) AS contactCount
			 FROM customers cu
			 WHERE cu.kind = 'company' AND cu.deleted_at IS NULL`
		),
		persons: db.prepare(`${PERSONS}`),
		// The ids as one JSON array: one statement for any number of them.
		selected: db.prepare(`${PERSONS} AND c.id IN (SELECT value FROM json_each(?))`)
	};
}

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
function stmts(db: Db): ReturnType<typeof prepare> {
	let s = statements.get(db);
	if (!s) {
		s = prepare(db);
		statements.set(db, s);
	}
	return s;
}

type Raw = Omit<CustomerRow, 'managers' | 'details'> & { managerIds: string | null; detailsJson: string | null };
const managersOf = (r: Raw) => (r.managerIds ? r.managerIds.split('\u001f') : []);

/** Live company customers. */
export function* companyRows(db: Db): Generator<CompanyRow> {
	for (const r of stmts(db).companies.iterate() as Iterable<Raw & { contactCount: number }>) {
		const { managerIds: _ids, detailsJson, ...rest } = r;
		yield { ...rest, managers: managersOf(r), details: parseDetails(detailsJson) };
	}
}

/** Live contacts of live customers, with their customer. */
export function personRows(db: Db): Generator<PersonRow> {
	return personsOf(stmts(db).persons.iterate());
}

/** The live contacts (of live customers) among `ids`; an id that is no such contact gives no row. */
export function personRowsById(db: Db, ids: readonly string[]): Generator<PersonRow> {
	return personsOf(stmts(db).selected.iterate(JSON.stringify(ids)));
}

function* personsOf(rows: Iterable<unknown>): Generator<PersonRow> {
	for (const r of rows as Iterable<
		Raw &
			Omit<PersonRow, 'managers' | 'primary' | 'details' | 'contactDetails'> & {
				isPrimary: number;
				contactDetailsJson: string | null;
			}
	>) {
		const { managerIds: _ids, isPrimary, detailsJson, contactDetailsJson, ...rest } = r;
		yield {
			...rest,
			primary: isPrimary === 1,
			managers: managersOf(r),
			details: parseDetails(detailsJson),
			contactDetails: parseDetails(contactDetailsJson)
		};
	}
}

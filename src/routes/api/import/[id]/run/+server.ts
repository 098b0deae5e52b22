import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import type { MatchRule } from '$server/import/import-store';
import type { RequestHandler } from './$types';

const RULES: readonly MatchRule[] = ['skip', 'update', 'create'];

/**
 * Runs an uploaded import (issue #13 item 3) in the server process; answers at once (202)
 * and the run goes on: its progress and report at GET /api/import/<id>. Body (JSON,
 * optional): { rule: "skip" | "update" | "create" } for rows matching an existing contact
 * (default skip). Only the uploader's runs, once; not while no column names anyone (409
 * mapping_required: the mapping screen says which do).
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	let rule: MatchRule = 'skip';
	const text = await request.text().catch(() => null);
	if (text === null) return json({ error: 'bad_request' }, { status: 400 });
	if (text.trim() !== '') {
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			return json({ error: 'bad_request' }, { status: 400 });
		}
		const r = (body as { rule?: unknown } | null)?.rule;
		if (r !== undefined && !RULES.includes(r as MatchRule)) return json({ error: 'bad_rule' }, { status: 400 });
		if (r !== undefined) rule = r as MatchRule;
	}
	const started = getContext().imports.start(locals.user, params.id, rule);
	if (started === 'not_found') return json({ error: 'not_found' }, { status: 404 });
	if (started === 'not_ready') return json({ error: 'already_run' }, { status: 409 });
	if (started === 'mapping_required') return json({ error: 'mapping_required' }, { status: 409 });
	return json({ id: params.id, status: 'running' }, { status: 202 });
};

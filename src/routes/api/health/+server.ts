import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/** The server's event-loop delay, sockets and documents (server/health.ts): admins only. */
export const GET: RequestHandler = ({ locals }) => {
	if (locals.user?.role !== 'admin') return json({ error: 'forbidden' }, { status: 403 });
	const { health, sync } = getContext();
	return json({ ...health.report(), sockets: sync.connectionCount, documents: sync.loadedDocuments });
};

/** Starts a new measuring window (tests read the delay around a load). */
export const DELETE: RequestHandler = ({ locals }) => {
	if (locals.user?.role !== 'admin') return json({ error: 'forbidden' }, { status: 403 });
	getContext().health.reset();
	return new Response(null, { status: 204 });
};

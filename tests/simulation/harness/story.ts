/** How a run tells its story (SIM_TRACE=1): messages and pending rows in a line each. */
import * as Y from 'yjs';
import type { FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { FeedMsg } from '../../../src/lib/schema/protocol.ts';

const sv = (m: Map<number, number>) => JSON.stringify([...m]);

export function describeFeed(m: FeedMessage): string {
	switch (m.type) {
		case FeedMsg.change:
			return `change ${m.doc} seq ${m.seq} up to ${sv(Y.parseUpdateMeta(m.update).to)}`;
		case FeedMsg.caughtUp:
			return `caughtUp ${m.seq}`;
		case FeedMsg.ack:
			return `ack ${m.doc} ${sv(Y.decodeStateVector(m.sv))}`;
		case FeedMsg.refused:
			return `refused ${m.doc} ${m.code} ${m.reason} (state: ${m.state.length} bytes)`;
		case FeedMsg.removed:
			return `removed ${m.doc}`;
		default:
			return `feed message ${m.type}`;
	}
}

/** The pending rows of the message's document: id and where its inserts end. */
export function rowsOf(
	pending: ReadonlyMap<string, { id: number; end: Map<number, number> }[]>,
	m: FeedMessage
): string {
	if (!('doc' in m)) return '';
	return (pending.get(m.doc) ?? []).map((r) => `${r.id}${sv(r.end)}`).join(', ');
}

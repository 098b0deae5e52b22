/**
 * Devices linked to an in-process server by simulated links (network.ts) that a test moves by
 * hand: `settle` carries every frame both ways, committing between, until nothing moves, and
 * brings history and projection up to date as a reader would see them (sync/derived.ts).
 */
import type { DeviceNet } from './device.ts';
import { Link } from './network.ts';
import type { InProcessServer } from './server.ts';

export function linkedNet(s: InProcessServer): { net: DeviceNet; links: Link[]; settle: () => void } {
	const links: Link[] = [];
	let next = 1;
	const net: DeviceNet = {
		open(device, docName) {
			const link = new Link(next++, docName, device.user.id, device, () => {});
			if (!s.sync.attach(link.socket, device.user, docName, true)) return null;
			links.push(link);
			return link;
		}
	};
	const settle = () => {
		for (let moved = true; moved;) {
			moved = false;
			for (const l of links) {
				while (l.toServer.length > 0 || l.toClient.length > 0) {
					moved = true;
					l.deliverToServer();
					s.sync.queue.flush();
					l.deliverToClient();
				}
			}
			s.sync.queue.flush();
		}
		s.sync.catchUp();
	};
	return { net, links, settle };
}

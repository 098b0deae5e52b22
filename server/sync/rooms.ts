/**
 * The room registry: one Room per loaded document, loaded from the store on first use and
 * unloaded when idle (no socket, no feed push or server change in flight, nothing waiting for
 * a commit); the workspace settings stay loaded. Everything that needs a document's room —
 * document sockets, background sync, the commit's effects, the portal's server changes — gets
 * it here, so there is never a second copy of a loaded document.
 */
import * as Y from 'yjs';
import type { PortalPermission } from '../../src/lib/schema/records.ts';
import { contactTypesMap, readDefaultPermissions, SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { Connection } from './connection.ts';
import type { DocStore } from './doc-store.ts';
import { Room } from './room.ts';

export interface RoomsOptions {
	store: DocStore;
	queue: () => CommitQueue;
	compactAfter: number;
	/** Runs `fn` once the derived tables are written up to now (room.ts compaction). */
	whenDerived?: (fn: () => void) => void;
	/** A commit failed for this room: whatever the index derived from it is read again. */
	onBroken: (name: string) => void;
	/** Each committed update (background sync streams it to feeds); `first`: the document's first. */
	onCommitted: (room: Room, update: Uint8Array, seq: number, from: Connection | null, first: boolean) => void;
	/** Contacts one customer may hold, the trash included. */
	maxContacts: number;
	/** A staff user's name in the directory (presence shows it, not what a client claims). */
	nameOf?: (userId: string) => string | null;
}

export class Rooms {
	private readonly rooms = new Map<string, Room>();
	/** The settings room, kept loaded (see settings()). */
	private settingsRoom: Room | null = null;

	constructor(private readonly opts: RoomsOptions) {}

	/** The room of a document if it is loaded. */
	loaded(name: string): Room | undefined {
		return this.rooms.get(name);
	}

	/** The loaded room of a document, loaded from the store when needed. */
	room(name: string): Room {
		// No flush first: a room is unloaded only once its queued updates are committed (room.ts),
		// so the store already holds every change of a document that is not loaded. (Flushing
		// for every load made each new document of an import its own transaction.)
		let room = this.rooms.get(name);
		if (!room) {
			room = new Room(name, {
				store: this.opts.store,
				queue: this.opts.queue(),
				compactAfter: this.opts.compactAfter,
				whenDerived: this.opts.whenDerived,
				onBroken: (broken) => {
					this.opts.onBroken(broken.name);
					this.drop(broken);
				},
				onCommitted: this.opts.onCommitted,
				onReleased: (r) => this.release(r),
				contactTypeExists: (id) => contactTypesMap(this.settings().doc).has(id),
				limits: { maxContacts: this.opts.maxContacts },
				nameOf: this.opts.nameOf
			});
			this.rooms.set(name, room);
		}
		return room;
	}

	/** Unloads the room if nothing holds it any more. */
	release(room: Room): void {
		if (room.idle) this.drop(room);
	}

	/** The workspace settings, kept loaded (every customer update may ask about its contact types). */
	settings(): Room {
		// Loaded again only if it was dropped (a storage failure broke it).
		if (this.settingsRoom && this.rooms.get(SETTINGS_DOC) === this.settingsRoom) return this.settingsRoom;
		const room = this.room(SETTINGS_DOC);
		room.holds++;
		this.settingsRoom = room;
		return room;
	}

	/** The workspace's portal permissions for new contacts (SPEC §2), as the server holds them. */
	defaultPermissions(): Record<PortalPermission, boolean> {
		return readDefaultPermissions(this.settings().doc);
	}

	/** The whole committed document (for a device that gains access or must rebuild). */
	state(doc: string): Uint8Array {
		const room = this.rooms.get(doc);
		if (room) return Y.encodeStateAsUpdate(room.doc);
		const stored = this.opts.store.load(doc);
		if (!stored || stored.updates.length === 0) return new Uint8Array();
		return stored.updates.length === 1 ? stored.updates[0] : Y.mergeUpdates(stored.updates);
	}

	get size(): number {
		return this.rooms.size;
	}

	/** Unloads every document (shutdown: presence timers stop, so an in-process server lets the process exit). */
	dropAll(): void {
		for (const room of [...this.rooms.values()]) this.drop(room);
	}

	/** Unloads a document from memory (idle, or broken by a storage failure). */
	private drop(room: Room): void {
		if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
		room.destroy();
	}
}

/**
 * Seeded randomness for the convergence simulation: one seed replays one run exactly.
 *
 * Yjs gives every Y.Doc a random client id (lib0/random → crypto.getRandomValues), the server's
 * rooms included, and client ids decide which of two concurrent writes of a map key wins. So
 * that a seed replays the same merges, crypto.getRandomValues is routed through a seeded
 * generator while a run is in progress (and is the real one otherwise). lib0 binds the function
 * when it is first imported: this module must be imported before yjs (the simulation's entry
 * points import it first), and `seedRandomValues` checks that it took effect.
 */
import { webcrypto } from 'node:crypto';

/** mulberry32: tiny, fast, and plenty for scheduling and test data. */
export class Random {
	private a: number;

	constructor(seed: number) {
		this.a = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		return this.uint32() / 4294967296;
	}

	uint32(): number {
		this.a = (this.a + 0x6d2b79f5) >>> 0;
		let t = this.a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}

	/** A key of `weights`, chosen in proportion to its weight. */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
		const entries = Object.entries(weights) as [K, number][];
		let x = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
		for (const [k, w] of entries) if ((x -= w) < 0) return k;
		return entries[entries.length - 1][0];
	}
}

type Fill = <T extends ArrayBufferView | null>(array: T) => T;

const real: Fill = webcrypto.getRandomValues.bind(webcrypto) as Fill;
let source: Random | null = null;

const seeded: Fill = (array) => {
	if (!source || !array) return real(array);
	const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
	for (let i = 0; i < bytes.length; i += 4) {
		const r = source.uint32();
		for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = (r >>> (8 * j)) & 0xff;
	}
	return array;
};
(webcrypto as { getRandomValues: Fill }).getRandomValues = seeded;

/**
 * Routes crypto.getRandomValues (and so every new Y.Doc's client id) through `seed` until
 * called again with null. Throws if yjs was imported before this module.
 */
export async function seedRandomValues(seed: number | null): Promise<void> {
	source = seed === null ? null : new Random(seed ^ 0x5eed);
	if (seed === null) return;
	const expected = new Random(seed ^ 0x5eed).uint32();
	const random = await import('lib0/random');
	const drawn = random.uint32(); // what Y.Doc takes its client id from
	source = new Random(seed ^ 0x5eed); // the probe's draw is not counted
	if (drawn !== expected) throw new Error('tests/simulation/harness/random.ts must be imported before yjs');
}

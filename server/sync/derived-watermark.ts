/** The newest update-log seq whose derived rows are written (migration 017). */
import type { Db } from '../db.ts';

export class DerivedWatermark {
	private readonly stmts;

	constructor(db: Db) {
		this.stmts = {
			get: db.prepare('SELECT seq FROM derived_watermark WHERE id = 1').pluck(),
			set: db.prepare('UPDATE derived_watermark SET seq = max(seq, ?) WHERE id = 1')
		};
	}

	get(): number {
		return (this.stmts.get.get() as number | undefined) ?? 0;
	}

	/** Never moves back. Inside the transaction that writes what it covers. */
	set(seq: number): void {
		this.stmts.set.run(seq);
	}
}

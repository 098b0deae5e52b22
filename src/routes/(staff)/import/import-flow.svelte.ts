/**
 * The Import page's state (issue #13 item 3): the file sent to the server, what it answered
 * (detection and the first rows as they will be stored), the choices of the mapping screen
 * (delimiter, encoding, default phone region, a target per column) sent back for a new
 * preview, then the run — its progress polled from GET /api/import/<id> — its report and undo.
 * Needs a connection: the server reads the file.
 */
import { m } from '$lib/paraglide/messages';
import { fileError, type Outcome } from './import-text';

export type DelimiterName = ',' | ';' | 'tab';
export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface PreviewRow {
	line: number;
	outcome: Outcome;
	reason?: string;
	customer?: { companyName?: string };
	contact?: { firstName?: string; lastName?: string; email?: string; phone?: string } | null;
	company?: string | null;
	notKept?: string[];
	warnings?: { code: string }[];
}

export type Detection =
	| {
			format: 'csv';
			encoding: EncodingName | null;
			delimiter: ',' | ';' | '\t';
			layout: string;
			columns: { header: string; target: string }[];
			unmapped: string[];
			saved: boolean;
			needsMapping: boolean;
	  }
	| { format: 'vcard'; layout: string; version: string | null };

export interface Inspected {
	id: string;
	detection: Detection;
	region: string | null;
	preview: PreviewRow[];
}

export interface ReportRow {
	line: number;
	outcome: Outcome;
	reason: string | null;
	detail: { notKept?: string[]; warnings?: { code: string }[] } | null;
}

export interface Report {
	status: 'ready' | 'running' | 'done' | 'failed' | 'undone';
	progress: { rows: number; bytesRead: number; bytes: number };
	counts: { imported: number; updated: number; skipped: number; refused: number };
	rows: ReportRow[];
}

export type Rule = 'skip' | 'update' | 'create';

type Choice = {
	delimiter?: DelimiterName;
	encoding?: EncodingName;
	region?: string;
	column?: { index: number; target: string };
};

const POLL_MS = 300;

export class ImportFlow {
	file = $state<File | null>(null);
	inspected = $state<Inspected | null>(null);
	rule = $state<Rule>('skip');
	report = $state<Report | null>(null);
	error = $state('');
	busy = $state(false);
	/** A new preview is on its way (a choice of the mapping screen). */
	updating = $state(false);
	undone = $state(false);
	/** The encoding the user picked; detected while null. */
	private encoding: EncodingName | null = null;
	/** Columns the user mapped: sent with every later choice (a new delimiter starts over). */
	private mapped = false;

	readonly csv = $derived(this.inspected?.detection.format === 'csv' ? this.inspected.detection : null);
	readonly delimiter = $derived<DelimiterName>(
		this.csv?.delimiter === '\t' ? 'tab' : ((this.csv?.delimiter ?? ',') as DelimiterName)
	);
	readonly encodingShown = $derived<EncodingName>(this.csv?.encoding ?? 'utf-8');
	/** Percent of the file read by the run. */
	readonly percent = $derived(
		this.report && this.report.progress.bytes > 0
			? Math.min(100, Math.floor((this.report.progress.bytesRead / this.report.progress.bytes) * 100))
			: 0
	);

	private async send(path: string, init?: RequestInit): Promise<Response | null> {
		try {
			return await fetch(path, init);
		} catch {
			this.error = m.import_offline();
			return null;
		}
	}

	async upload(): Promise<void> {
		if (!this.file) return;
		this.busy = true;
		this.error = '';
		this.inspected = null;
		this.report = null;
		this.undone = false;
		this.encoding = null;
		this.mapped = false;
		const res = await this.send(`/api/import?name=${encodeURIComponent(this.file.name)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: this.file
		});
		this.busy = false;
		if (!res) return;
		const body = (await res.json().catch(() => ({}))) as Inspected & { error?: string };
		if (res.status === 201) this.inspected = body;
		else this.error = fileError(body.error ?? String(res.status));
	}

	/**
	 * A choice of the mapping screen: the server reads the head again and answers a new preview.
	 * Choices are applied one after another, each on the answer to the one before: a user (or a
	 * test) picking columns faster than the server answers had the second choice sent with the
	 * columns from before the first, which was lost — and the run went without it.
	 */
	choose(change: Choice): Promise<void> {
		const next = this.choosing.then(() => this.applyChoice(change));
		this.choosing = next.catch(() => undefined);
		return next;
	}

	private choosing: Promise<void> = Promise.resolve();

	private async applyChoice(change: Choice): Promise<void> {
		const current = this.inspected;
		if (!current || !this.csv) return;
		const before = { encoding: this.encoding, mapped: this.mapped };
		if (change.encoding) this.encoding = change.encoding;
		const columns = this.csv.columns.map((c) => c.target);
		if (change.column) {
			columns[change.column.index] = change.column.target;
			this.mapped = true;
		}
		if (change.delimiter && change.delimiter !== this.delimiter) this.mapped = false;
		const body = {
			delimiter: change.delimiter ?? this.delimiter,
			encoding: this.encoding,
			region: change.region ?? current.region ?? '',
			columns: this.mapped ? columns : undefined
		};
		this.updating = true;
		this.error = '';
		const res = await this.send(`/api/import/${current.id}/options`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		this.updating = false;
		const answer = res
			? ((await res.json().catch(() => ({}))) as Inspected & { error?: string; reason?: string })
			: null;
		// A choice the server could not use is not kept: the screen shows what the preview was made with.
		if (res?.status !== 200) Object.assign(this, before);
		if (!res || !answer) return;
		if (res.status === 200) this.inspected = answer;
		else if (answer.error === 'bad_mapping') this.error = m.imp_bad_mapping({ reason: answer.reason ?? '' });
		else this.error = fileError(answer.error ?? String(res.status));
	}

	async run(): Promise<void> {
		const id = this.inspected?.id;
		if (!id) return;
		this.busy = true;
		this.error = '';
		const res = await this.send(`/api/import/${id}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ rule: this.rule })
		});
		if (!res || res.status !== 202) {
			this.busy = false;
			if (res) this.error = m.import_failed();
			return;
		}
		// While it runs, only the progress and counts (no report rows: ?after= past any line).
		for (let running = true; ;) {
			const r = await this.send(running ? `/api/import/${id}?after=999999999` : `/api/import/${id}`);
			if (!r || r.status !== 200) break;
			const report = (await r.json()) as Report;
			if (report.status === 'running') this.report = report;
			else if (running) {
				running = false;
				continue;
			} else {
				this.report = report;
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, POLL_MS));
		}
		if (this.report?.status === 'failed') this.error = m.import_failed();
		this.busy = false;
	}

	async undo(): Promise<void> {
		const id = this.inspected?.id;
		if (!id) return;
		this.busy = true;
		const res = await this.send(`/api/import/${id}/undo`, { method: 'POST' });
		this.busy = false;
		if (res?.status === 200 || res?.status === 409) this.undone = true;
		else if (res) this.error = m.import_failed();
	}
}

/**
 * Module values as a mail shows them, in the recipient's language (issue #12): statuses of
 * tickets, projects and tasks (SPEC §7 terms), amounts and due dates. Used by the server's
 * composer; kept here with the templates they fill.
 */
import { formatMoney } from '../totals.ts';
import { DEFAULT_CURRENCY } from '../modules.ts';
import type { MailLocale } from './kinds.ts';

type Words = Record<MailLocale, string>;

const STATUS_WORDS: Record<string, Words> = {
	open: { en: 'Open', de: 'Offen', fr: 'Ouvert', pl: 'Otwarte', pt: 'Aberto' },
	inProgress: { en: 'In progress', de: 'In Bearbeitung', fr: 'En cours', pl: 'W toku', pt: 'Em andamento' },
	answered: { en: 'Answered', de: 'Beantwortet', fr: 'Répondu', pl: 'Odpowiedziano', pt: 'Respondido' },
	onHold: { en: 'On hold', de: 'Pausiert', fr: 'En attente', pl: 'Wstrzymane', pt: 'Em espera' },
	closed: { en: 'Closed', de: 'Geschlossen', fr: 'Fermé', pl: 'Zamknięte', pt: 'Fechado' },
	notStarted: { en: 'Not started', de: 'Nicht begonnen', fr: 'Pas commencé', pl: 'Nie rozpoczęto', pt: 'Não iniciado' },
	finished: { en: 'Finished', de: 'Abgeschlossen', fr: 'Terminé', pl: 'Zakończony', pt: 'Concluído' },
	cancelled: { en: 'Cancelled', de: 'Abgebrochen', fr: 'Annulé', pl: 'Anulowany', pt: 'Cancelado' },
	testing: { en: 'Testing', de: 'Im Test', fr: 'En test', pl: 'Testowanie', pt: 'Em teste' },
	awaitingFeedback: {
		en: 'Awaiting feedback',
		de: 'Wartet auf Rückmeldung',
		fr: 'En attente de retour',
		pl: 'Oczekuje na opinię',
		pt: 'Aguardando retorno'
	},
	complete: { en: 'Complete', de: 'Erledigt', fr: 'Terminée', pl: 'Ukończone', pt: 'Concluída' }
};

/** A status in the recipient's language; an unknown code as it is. */
export const statusWord = (status: string, locale: MailLocale): string => STATUS_WORDS[status]?.[locale] ?? status;

/** Minor units as the recipient reads money: 123450 EUR in "de" → "1.234,50 €". */
export const mailMoney = (minor: number, currency: string | null, locale: MailLocale): string =>
	formatMoney(minor, currency ?? DEFAULT_CURRENCY, locale);

/** A calendar date (YYYY-MM-DD) in the recipient's way of writing dates; the same day everywhere. */
export function mailDate(date: string, locale: MailLocale): string {
	const d = new Date(`${date}T00:00:00Z`);
	if (Number.isNaN(d.getTime())) return date;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

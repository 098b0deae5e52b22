/**
 * The built-in templates, one per kind and language (SPEC §3.4). Admins override them in
 * Settings → E-mail (stored in SQLite); these are what a fresh installation sends.
 * Bodies are plain text with `{{field}}` merge fields; paragraphs are separated by a blank
 * line. The HTML part is made from the same text (render.ts), so the two never disagree.
 * Terms as in SPEC §7.
 */
import type { MailKind, MailLocale } from './kinds.ts';

export interface MailTemplate {
	subject: string;
	body: string;
}

type Doc = { en: string; de: string; fr: string; pl: string; pt: string };

/** The document word of each notification kind (SPEC §7 terms). */
const DOC_WORD = {
	invoice: { en: 'invoice', de: 'Rechnung', fr: 'facture', pl: 'faktura', pt: 'fatura' },
	credit_note: { en: 'credit note', de: 'Gutschrift', fr: 'avoir', pl: 'faktura korygująca', pt: 'nota de crédito' },
	estimate: { en: 'estimate', de: 'Kostenvoranschlag', fr: 'devis', pl: 'wycena', pt: 'orçamento' },
	proposal: { en: 'proposal', de: 'Angebot', fr: 'proposition commerciale', pl: 'oferta', pt: 'proposta' },
	ticket: { en: 'ticket', de: 'Ticket', fr: 'ticket', pl: 'zgłoszenie', pt: 'chamado' },
	project: { en: 'project', de: 'Projekt', fr: 'projet', pl: 'projekt', pt: 'projeto' },
	contract: { en: 'contract', de: 'Vertrag', fr: 'contrat', pl: 'umowa', pt: 'contrato' },
	task: { en: 'task', de: 'Aufgabe', fr: 'tâche', pl: 'zadanie', pt: 'tarefa' }
} satisfies Record<string, Doc>;

/** The label of a sales document's date line: an invoice's due date, a quote's validity. */
const DUE = {
	due: { en: 'Due date', de: 'Fällig am', fr: "Date d'échéance", pl: 'Termin płatności', pt: 'Vencimento' },
	valid: { en: 'Valid until', de: 'Gültig bis', fr: "Valable jusqu'au", pl: 'Ważna do', pt: 'Válido até' }
} satisfies Record<string, Doc>;

const TOTAL: Doc = { en: 'Total', de: 'Gesamtbetrag', fr: 'Total', pl: 'Razem', pt: 'Total' };

function notification(
	word: Doc,
	lines: Doc = { en: '', de: '', fr: '', pl: '', pt: '' }
): Record<MailLocale, MailTemplate> {
	return {
		en: {
			subject: `New ${word.en}: {{documentName}}`,
			body: `Hello {{contactFirstName}},\n\nthere is a new ${word.en} for {{customerName}}: {{documentName}}.${lines.en}\n\nView it in the customer portal: {{documentUrl}}`
		},
		de: {
			subject: `Neu – ${word.de}: {{documentName}}`,
			body: `Hallo {{contactFirstName}},\n\nfür {{customerName}} gibt es Neues – ${word.de}: {{documentName}}.${lines.de}\n\nIm Kundenportal ansehen: {{documentUrl}}`
		},
		fr: {
			subject: `Nouveau – ${word.fr} : {{documentName}}`,
			body: `Bonjour {{contactFirstName}},\n\ndu nouveau pour {{customerName}} – ${word.fr} : {{documentName}}.${lines.fr}\n\nConsultez-le dans le portail client : {{documentUrl}}`
		},
		pl: {
			subject: `Nowe – ${word.pl}: {{documentName}}`,
			body: `Dzień dobry {{contactFirstName}},\n\ndla {{customerName}} jest nowa pozycja – ${word.pl}: {{documentName}}.${lines.pl}\n\nZobacz w portalu klienta: {{documentUrl}}`
		},
		pt: {
			subject: `Novo – ${word.pt}: {{documentName}}`,
			body: `Olá {{contactFirstName}},\n\nhá novidades para {{customerName}} – ${word.pt}: {{documentName}}.${lines.pt}\n\nVeja no portal do cliente: {{documentUrl}}`
		}
	};
}

/** Extra lines of a sales document's mail: its total, and its due or validity date. */
function salesLines(due: Doc | null): Doc {
	const line = (l: keyof Doc) => `\n\n${TOTAL[l]}: {{total}}` + (due ? `\n${due[l]}: {{dueDate}}` : '');
	return { en: line('en'), de: line('de'), fr: line('fr'), pl: line('pl'), pt: line('pt') };
}

/**
 * A ticket, project or task that changed (created, a new status, a staff reply): with its
 * status and, for a ticket reply, the reply's text.
 */
function update(word: Doc): Record<MailLocale, MailTemplate> {
	return {
		en: {
			subject: `Update – ${word.en}: {{documentName}}`,
			body: `Hello {{contactFirstName}},\n\nthere is news about the ${word.en} {{documentName}} of {{customerName}}.\n\nStatus: {{status}}\n\n{{message}}\n\nView it in the customer portal: {{documentUrl}}`
		},
		de: {
			subject: `Aktualisiert – ${word.de}: {{documentName}}`,
			body: `Hallo {{contactFirstName}},\n\nes gibt Neuigkeiten – ${word.de} {{documentName}} von {{customerName}}.\n\nStatus: {{status}}\n\n{{message}}\n\nIm Kundenportal ansehen: {{documentUrl}}`
		},
		fr: {
			subject: `Mise à jour – ${word.fr} : {{documentName}}`,
			body: `Bonjour {{contactFirstName}},\n\ndu nouveau – ${word.fr} {{documentName}} de {{customerName}}.\n\nStatut : {{status}}\n\n{{message}}\n\nConsultez-le dans le portail client : {{documentUrl}}`
		},
		pl: {
			subject: `Aktualizacja – ${word.pl}: {{documentName}}`,
			body: `Dzień dobry {{contactFirstName}},\n\nmamy nowe informacje – ${word.pl} {{documentName}} klienta {{customerName}}.\n\nStatus: {{status}}\n\n{{message}}\n\nZobacz w portalu klienta: {{documentUrl}}`
		},
		pt: {
			subject: `Atualização – ${word.pt}: {{documentName}}`,
			body: `Olá {{contactFirstName}},\n\nhá novidades – ${word.pt} {{documentName}} de {{customerName}}.\n\nStatus: {{status}}\n\n{{message}}\n\nVeja no portal do cliente: {{documentUrl}}`
		}
	};
}

/** Templates of the portal modules' mail (issue #12), grouped. */
const MODULE_TEMPLATES = {
	proposal: notification(DOC_WORD.proposal, salesLines(DUE.valid)),
	invoice_overdue: {
		en: {
			subject: 'Invoice overdue: {{documentName}}',
			body: 'Hello {{contactFirstName}},\n\nthe invoice {{documentName}} for {{customerName}} was due on {{dueDate}} and is not paid yet.\n\nTotal: {{total}}\n\nView it in the customer portal: {{documentUrl}}'
		},
		de: {
			subject: 'Rechnung überfällig: {{documentName}}',
			body: 'Hallo {{contactFirstName}},\n\ndie Rechnung {{documentName}} für {{customerName}} war am {{dueDate}} fällig und ist noch nicht bezahlt.\n\nGesamtbetrag: {{total}}\n\nIm Kundenportal ansehen: {{documentUrl}}'
		},
		fr: {
			subject: 'Facture en retard : {{documentName}}',
			body: "Bonjour {{contactFirstName}},\n\nla facture {{documentName}} pour {{customerName}} était due le {{dueDate}} et n'est pas encore payée.\n\nTotal : {{total}}\n\nConsultez-la dans le portail client : {{documentUrl}}"
		},
		pl: {
			subject: 'Zaległa faktura: {{documentName}}',
			body: 'Dzień dobry {{contactFirstName}},\n\ntermin płatności faktury {{documentName}} dla {{customerName}} upłynął {{dueDate}}, a faktura nie została jeszcze opłacona.\n\nRazem: {{total}}\n\nZobacz w portalu klienta: {{documentUrl}}'
		},
		pt: {
			subject: 'Fatura em atraso: {{documentName}}',
			body: 'Olá {{contactFirstName}},\n\na fatura {{documentName}} de {{customerName}} venceu em {{dueDate}} e ainda não foi paga.\n\nTotal: {{total}}\n\nVeja no portal do cliente: {{documentUrl}}'
		}
	},
	ticket_staff: {
		en: {
			subject: '{{customerName}}: {{contactName}} wrote in the ticket {{documentName}}',
			body: 'Hello {{staffName}},\n\n{{contactName}} of {{customerName}} wrote in the ticket {{documentName}}:\n\n{{message}}\n\n{{recordUrl}}'
		},
		de: {
			subject: '{{customerName}}: {{contactName}} hat im Ticket {{documentName}} geschrieben',
			body: 'Hallo {{staffName}},\n\n{{contactName}} von {{customerName}} hat im Ticket {{documentName}} geschrieben:\n\n{{message}}\n\n{{recordUrl}}'
		},
		fr: {
			subject: '{{customerName}} : {{contactName}} a écrit dans le ticket {{documentName}}',
			body: 'Bonjour {{staffName}},\n\n{{contactName}} de {{customerName}} a écrit dans le ticket {{documentName}} :\n\n{{message}}\n\n{{recordUrl}}'
		},
		pl: {
			subject: '{{customerName}}: {{contactName}} napisał(a) w zgłoszeniu {{documentName}}',
			body: 'Cześć {{staffName}},\n\n{{contactName}} z {{customerName}} napisał(a) w zgłoszeniu {{documentName}}:\n\n{{message}}\n\n{{recordUrl}}'
		},
		pt: {
			subject: '{{customerName}}: {{contactName}} escreveu no chamado {{documentName}}',
			body: 'Olá {{staffName}},\n\n{{contactName}} de {{customerName}} escreveu no chamado {{documentName}}:\n\n{{message}}\n\n{{recordUrl}}'
		}
	}
} satisfies Record<string, Record<MailLocale, MailTemplate>>;

export const DEFAULT_TEMPLATES: Record<MailKind, Record<MailLocale, MailTemplate>> = {
	welcome: {
		en: {
			subject: 'Welcome, {{contactFirstName}}',
			body: 'Hello {{contactName}},\n\nyou have been added as a contact of {{customerName}}.\n\nSet your password for the customer portal here (the link works once, for 48 hours):\n\n{{setPasswordLink}}\n\nThe customer portal: {{portalUrl}}'
		},
		de: {
			subject: 'Willkommen, {{contactFirstName}}',
			body: 'Hallo {{contactName}},\n\nSie wurden als Kontakt von {{customerName}} angelegt.\n\nLegen Sie hier Ihr Passwort für das Kundenportal fest (der Link gilt einmal, 48 Stunden lang):\n\n{{setPasswordLink}}\n\nDas Kundenportal: {{portalUrl}}'
		},
		fr: {
			subject: 'Bienvenue, {{contactFirstName}}',
			body: 'Bonjour {{contactName}},\n\nvous avez été ajouté comme contact de {{customerName}}.\n\nDéfinissez votre mot de passe pour le portail client ici (le lien fonctionne une fois, pendant 48 heures) :\n\n{{setPasswordLink}}\n\nLe portail client : {{portalUrl}}'
		},
		pl: {
			subject: 'Witamy, {{contactFirstName}}',
			body: 'Dzień dobry {{contactName}},\n\nzostali Państwo dodani jako kontakt klienta {{customerName}}.\n\nHasło do portalu klienta można ustawić tutaj (link działa raz, przez 48 godzin):\n\n{{setPasswordLink}}\n\nPortal klienta: {{portalUrl}}'
		},
		pt: {
			subject: 'Bem-vindo, {{contactFirstName}}',
			body: 'Olá {{contactName}},\n\nvocê foi adicionado como contato de {{customerName}}.\n\nDefina sua senha do portal do cliente aqui (o link funciona uma vez, por 48 horas):\n\n{{setPasswordLink}}\n\nO portal do cliente: {{portalUrl}}'
		}
	},
	set_password: {
		en: {
			subject: 'Set your password',
			body: 'Hello {{contactName}},\n\nset your password for the customer portal of {{customerName}} here (the link works once, for 48 hours):\n\n{{setPasswordLink}}'
		},
		de: {
			subject: 'Passwort festlegen',
			body: 'Hallo {{contactName}},\n\nhier legen Sie Ihr Passwort für das Kundenportal von {{customerName}} fest (der Link gilt einmal, 48 Stunden lang):\n\n{{setPasswordLink}}'
		},
		fr: {
			subject: 'Définissez votre mot de passe',
			body: 'Bonjour {{contactName}},\n\ndéfinissez ici votre mot de passe pour le portail client de {{customerName}} (le lien fonctionne une fois, pendant 48 heures) :\n\n{{setPasswordLink}}'
		},
		pl: {
			subject: 'Ustaw hasło',
			body: 'Dzień dobry {{contactName}},\n\ntutaj ustawią Państwo hasło do portalu klienta {{customerName}} (link działa raz, przez 48 godzin):\n\n{{setPasswordLink}}'
		},
		pt: {
			subject: 'Defina a sua senha',
			body: 'Olá {{contactName}},\n\ndefina aqui a sua senha do portal do cliente de {{customerName}} (o link funciona uma vez, por 48 horas):\n\n{{setPasswordLink}}'
		}
	},
	manager_assigned: {
		en: {
			subject: 'You are now a manager of {{customerName}}',
			body: 'Hello {{staffName}},\n\n{{assignedBy}} made you a manager of {{customerName}}.\n\n{{recordUrl}}'
		},
		de: {
			subject: 'Sie sind jetzt Verantwortliche(r) für {{customerName}}',
			body: 'Hallo {{staffName}},\n\n{{assignedBy}} hat Sie als Verantwortliche(n) für {{customerName}} eingetragen.\n\n{{recordUrl}}'
		},
		fr: {
			subject: 'Vous êtes maintenant responsable de {{customerName}}',
			body: 'Bonjour {{staffName}},\n\n{{assignedBy}} vous a désigné comme responsable de {{customerName}}.\n\n{{recordUrl}}'
		},
		pl: {
			subject: 'Jesteś teraz opiekunem klienta {{customerName}}',
			body: 'Cześć {{staffName}},\n\n{{assignedBy}} ustawił(a) Cię jako opiekuna klienta {{customerName}}.\n\n{{recordUrl}}'
		},
		pt: {
			subject: 'Agora você é responsável por {{customerName}}',
			body: 'Olá {{staffName}},\n\n{{assignedBy}} definiu você como responsável por {{customerName}}.\n\n{{recordUrl}}'
		}
	},
	// A staff member asked for it on the sign-in page (issue #14 item 9): links as set_password's.
	staff_password_reset: {
		en: {
			subject: 'Reset your Fieldbook password',
			body: 'Hello {{staffName}},\n\nsomeone (hopefully you) asked to reset the password of your Fieldbook staff account. Set a new password here (the link works once, for 48 hours):\n\n{{setPasswordLink}}\n\nIf you did not ask for this, ignore this e-mail: your password stays as it is.'
		},
		de: {
			subject: 'Fieldbook-Passwort zurücksetzen',
			body: 'Hallo {{staffName}},\n\njemand (hoffentlich Sie) hat das Zurücksetzen des Passworts Ihres Fieldbook-Mitarbeiterkontos angefordert. Hier legen Sie ein neues Passwort fest (der Link gilt einmal, 48 Stunden lang):\n\n{{setPasswordLink}}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.'
		},
		fr: {
			subject: 'Réinitialisez votre mot de passe Fieldbook',
			body: "Bonjour {{staffName}},\n\nquelqu'un (vous, espérons-le) a demandé la réinitialisation du mot de passe de votre compte collaborateur Fieldbook. Définissez un nouveau mot de passe ici (le lien fonctionne une fois, pendant 48 heures) :\n\n{{setPasswordLink}}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé."
		},
		pl: {
			subject: 'Zresetuj hasło do Fieldbook',
			body: 'Cześć {{staffName}},\n\nktoś (miejmy nadzieję, że Ty) poprosił o zresetowanie hasła do Twojego konta pracownika w Fieldbook. Ustaw nowe hasło tutaj (link działa raz, przez 48 godzin):\n\n{{setPasswordLink}}\n\nJeśli to nie Ty, zignoruj tę wiadomość: Twoje hasło pozostaje bez zmian.'
		},
		pt: {
			subject: 'Redefina a sua senha do Fieldbook',
			body: 'Olá {{staffName}},\n\nalguém (esperamos que você) pediu para redefinir a senha da sua conta de equipe no Fieldbook. Defina uma nova senha aqui (o link funciona uma vez, por 48 horas):\n\n{{setPasswordLink}}\n\nSe não foi você, ignore este e-mail: a sua senha continua a mesma.'
		}
	},
	invoice: notification(DOC_WORD.invoice, salesLines(DUE.due)),
	credit_note: notification(DOC_WORD.credit_note, salesLines(null)),
	estimate: notification(DOC_WORD.estimate, salesLines(DUE.valid)),
	contract: notification(DOC_WORD.contract, salesLines(null)),
	ticket: update(DOC_WORD.ticket),
	project: update(DOC_WORD.project),
	task: update(DOC_WORD.task),
	...MODULE_TEMPLATES
};

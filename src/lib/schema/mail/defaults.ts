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
const DOC_WORD: Record<Exclude<MailKind, 'welcome' | 'set_password' | 'manager_assigned'>, Doc> = {
	invoice: { en: 'invoice', de: 'Rechnung', fr: 'facture', pl: 'faktura', pt: 'fatura' },
	credit_note: { en: 'credit note', de: 'Gutschrift', fr: 'avoir', pl: 'faktura korygująca', pt: 'nota de crédito' },
	estimate: { en: 'estimate', de: 'Kostenvoranschlag', fr: 'devis', pl: 'wycena', pt: 'orçamento' },
	ticket: { en: 'ticket', de: 'Ticket', fr: 'ticket', pl: 'zgłoszenie', pt: 'chamado' },
	project: { en: 'project', de: 'Projekt', fr: 'projet', pl: 'projekt', pt: 'projeto' },
	contract: { en: 'contract', de: 'Vertrag', fr: 'contrat', pl: 'umowa', pt: 'contrato' },
	task: { en: 'task', de: 'Aufgabe', fr: 'tâche', pl: 'zadanie', pt: 'tarefa' }
};

function notification(word: Doc): Record<MailLocale, MailTemplate> {
	return {
		en: {
			subject: `New ${word.en}: {{documentName}}`,
			body: `Hello {{contactFirstName}},\n\nthere is a new ${word.en} for {{customerName}}: {{documentName}}.\n\nView it in the customer portal: {{documentUrl}}`
		},
		de: {
			subject: `Neu – ${word.de}: {{documentName}}`,
			body: `Hallo {{contactFirstName}},\n\nfür {{customerName}} gibt es Neues – ${word.de}: {{documentName}}.\n\nIm Kundenportal ansehen: {{documentUrl}}`
		},
		fr: {
			subject: `Nouveau – ${word.fr} : {{documentName}}`,
			body: `Bonjour {{contactFirstName}},\n\ndu nouveau pour {{customerName}} – ${word.fr} : {{documentName}}.\n\nConsultez-le dans le portail client : {{documentUrl}}`
		},
		pl: {
			subject: `Nowe – ${word.pl}: {{documentName}}`,
			body: `Dzień dobry {{contactFirstName}},\n\ndla {{customerName}} jest nowa pozycja – ${word.pl}: {{documentName}}.\n\nZobacz w portalu klienta: {{documentUrl}}`
		},
		pt: {
			subject: `Novo – ${word.pt}: {{documentName}}`,
			body: `Olá {{contactFirstName}},\n\nhá novidades para {{customerName}} – ${word.pt}: {{documentName}}.\n\nVeja no portal do cliente: {{documentUrl}}`
		}
	};
}

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
	invoice: notification(DOC_WORD.invoice),
	credit_note: notification(DOC_WORD.credit_note),
	estimate: notification(DOC_WORD.estimate),
	ticket: notification(DOC_WORD.ticket),
	project: notification(DOC_WORD.project),
	contract: notification(DOC_WORD.contract),
	task: notification(DOC_WORD.task)
};

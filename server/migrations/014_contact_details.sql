-- Richer contacts (issue #13 item 2): the do-not-e-mail flag as a column (every mail to a
-- contact asks it, server/mail), and what a contact or company holds beyond the columns as
-- JSON (src/lib/schema/record-details.ts) for the exports. Rewritten from the document like
-- every projected column; NULL until the record's next change (records made before hold none).
ALTER TABLE contacts ADD COLUMN do_not_email INTEGER CHECK (do_not_email IN (0, 1));
ALTER TABLE contacts ADD COLUMN details TEXT;
ALTER TABLE customers ADD COLUMN details TEXT;

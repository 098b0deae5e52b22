-- Staff password reset by e-mail (issue #14 item 9): the set-password links of 010 serve
-- staff accounts too, one mechanism for both. A link now names its holder: a customer
-- contact (as before) or a staff user; email_key is the holder's address when issued.
ALTER TABLE set_password_tokens RENAME COLUMN contact_id TO holder_id;
ALTER TABLE set_password_tokens ADD COLUMN holder TEXT NOT NULL DEFAULT 'contact' CHECK (holder IN ('contact', 'staff'));
DROP INDEX set_password_tokens_contact;
CREATE INDEX set_password_tokens_holder ON set_password_tokens (holder, holder_id);

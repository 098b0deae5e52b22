-- Values of additional fields (custom fields, issue #13 item 1) mirrored from customer
-- documents (server/custom-values.ts), for the list export. contact_id is '' for a company's
-- own values. value is the JSON of the stored value (text, number or boolean), kept whether or
-- not it fits the field's current definition (the definition lives in the settings document).
CREATE TABLE custom_values (
  customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  contact_id  TEXT NOT NULL,
  field_id    TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (customer_id, contact_id, field_id)
);

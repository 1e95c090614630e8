-- Support looks customers up by email.
ALTER TABLE users ADD COLUMN email text;
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));
COMMENT ON COLUMN users.email IS 'primary contact address';

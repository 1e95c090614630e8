-- Pre-flight check: rows printed here block the migration.
SELECT 'users already has an email column' WHERE EXISTS (
  SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email');

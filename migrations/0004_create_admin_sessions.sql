-- Admin sign-in, kept server-side so that signing out ends a session for good (the cookie alone
-- is not enough: a copy of it replayed after sign-out must not open /admin again).
--
-- One row per signed-in session. The cookie carries the session's random id, signed with the
-- ADMIN_TOKEN; the row holds only the SHA-256 of that id. A session is valid while its row exists
-- and has not expired: signing out deletes its row, "Sign out everywhere" deletes every row.
CREATE TABLE admin_sessions (
  id_hash TEXT PRIMARY KEY,
  -- Milliseconds since the epoch (UTC).
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Addresses locked out of admin sign-in (the form and the JSON API alike) after too many failed
-- attempts, so that a locked-out address is refused whatever token it sends, right or wrong.
-- Keyed by the same IP hash the rate limiter uses (HMAC with IP_HASH_SALT, never the IP itself).
CREATE TABLE admin_lockouts (
  ip_hash TEXT PRIMARY KEY,
  -- Milliseconds since the epoch: refused until then.
  locked_until INTEGER NOT NULL
);

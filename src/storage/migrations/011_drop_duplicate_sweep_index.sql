-- 002 and 006 both created the sweeper's index on the active sessions' expiry, under two
-- names: the same index kept twice, written on every login and every ending. The one 006 made
-- stays (beside its twin for the idle sweep).
DROP INDEX IF EXISTS sessions_active_expiry_idx;

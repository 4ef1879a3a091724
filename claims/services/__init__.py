"""Every write of the civil-claims ledger goes through a function here. Each owns its transaction,
validates (`require`, then `full_clean`) and writes its audit row in that same transaction; a
refusal raises before anything is written. Permissions are the API's (it scopes the case first);
services take the `actor` for the audit trail."""

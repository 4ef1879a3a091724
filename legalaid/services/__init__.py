"""Every write of the legal-aid domain goes through a function here. Each owns its transaction,
validates (`full_clean`) and writes its audit row in that same transaction."""

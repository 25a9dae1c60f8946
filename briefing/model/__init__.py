"""The records every stage passes on: locations, errors, typed frozen records, the contract."""

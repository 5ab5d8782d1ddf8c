"""Reports of the División (PDF and Excel); built in a later issue."""

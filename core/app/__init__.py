"""The app's records: the page registry, run titles, the session's run history, run files."""

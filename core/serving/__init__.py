"""Serving a class: steps owed by the clock, fair shares and frame turns, each frame's CPU budget, what one page may ask of the server and what a session holds."""

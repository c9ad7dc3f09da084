"""A warm reader: one background process per user that keeps the knowledge base, the text rules
and the medspaCy pipeline loaded, so that ``tohip assess note.txt`` need not import spaCy.

``common`` (stdlib only) finds the per-user socket, checks who owns it and computes the build
fingerprint; ``client`` (stdlib only) is what the console entry point tries before importing
Typer; ``server`` is the process itself; ``control`` starts, stops and asks it.

The client reads the note itself and sends its bytes as JSON over a Unix domain socket; the
server runs the ordinary Typer command on them (same argument parsing, same rendering) and sends
back standard output, standard error and the exit status, which the client writes only once the
whole answer has arrived. Anything else (no server, another build, a dead or slow server, a
garbled answer) falls back to reading in-process with the bytes already read.
"""

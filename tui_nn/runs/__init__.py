"""Runs: run folders and their JSONL logs, steering through control files, the tailing
reader, listings and headless training (``tui-nn train``, ``runs``)."""

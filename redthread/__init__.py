"""Röd tråd — the platform for Swedish SME development programs."""

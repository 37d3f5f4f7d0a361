"""Event coding: actors, verb patterns, composition and the coder."""

"""Readers: each turns one input format into model objects and nothing else."""

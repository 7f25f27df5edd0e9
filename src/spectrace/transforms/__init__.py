"""Transforms: functions that take model objects and return them changed, or findings about them."""

"""Traceability: tags in code and tests, test results, the matrix, and the CI gate."""

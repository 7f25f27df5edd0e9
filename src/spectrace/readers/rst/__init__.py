"""Reading spec-as-code reStructuredText with docutils and spectrace's own directives and role."""

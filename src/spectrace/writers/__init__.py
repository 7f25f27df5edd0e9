"""Writers: each turns model objects into one output format, reading the model and nothing else."""

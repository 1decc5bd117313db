"""Reproducible benchmarks the CLI runs (`casework bench …`): quality and cost together."""

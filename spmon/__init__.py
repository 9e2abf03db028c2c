"""spmon: monitoring of Supporting People contracts (PI and QAF returns)."""

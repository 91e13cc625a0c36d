"""Statistics for creators: the daily table's writes and reads (daily), its charts (charts)."""

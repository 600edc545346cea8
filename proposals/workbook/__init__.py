"""The Excel round-trip of proposals (docs/architecture.md, "The Excel round-trip"): template, reading an upload,
the error workbook."""

"""The Excel round-trip of proposals (DESIGN.md): template, reading an upload, the error workbook."""

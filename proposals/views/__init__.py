"""Proposal pages, split by use case: the list and detail (with verification), building from the
registry, and the Excel round-trip."""

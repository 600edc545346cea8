"""Registry pages, split by use case: people, KUBE groups, possible duplicates, Excel exports."""

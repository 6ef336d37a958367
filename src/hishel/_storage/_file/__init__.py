"""The file store: a directory of records, with its blocking file operations and tally."""

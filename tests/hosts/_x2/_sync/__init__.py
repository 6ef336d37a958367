# GENERATED from the async source by scripts/unasync.py; do not edit.

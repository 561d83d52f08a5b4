"""The bottom layer every process shares: paths and settings. Standard library only."""

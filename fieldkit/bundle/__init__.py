"""Export bundles: write, verify, import."""

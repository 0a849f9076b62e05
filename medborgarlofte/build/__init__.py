"""The build: `pipeline` runs the stages in order, `write` stages the site and swaps it in, `fingerprint` decides
whether anything changed, `parallel` is the one way work runs on several cores, `interrupt` how Ctrl+C stops it."""

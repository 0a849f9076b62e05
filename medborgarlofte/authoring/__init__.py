"""What helps a communicator write content: `scaffold` (the `new` command) and `importer` (the `importera` command,
a document the kommun already has to a draft)."""

"""The website: page contexts, Markdown rendering, the MkDocs engine and hook, inspection."""

"""What web pages and PDFs share: the Jinja environment, views, diagrams, where PDFs are placed."""

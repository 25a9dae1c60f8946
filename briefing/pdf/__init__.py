"""The PDFs: which documents, their print views, and the WeasyPrint layout."""

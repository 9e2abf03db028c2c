"""Report and notice builders with their Jinja2 templates."""

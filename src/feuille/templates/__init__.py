"""feuille's built-in templates (html/, md/, static/); a plan overrides any of them from its own templates/ folder."""

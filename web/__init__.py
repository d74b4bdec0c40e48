"""The web layer: Flask blueprints over the core in ``translator/``."""

"""feuille: a municipality's policy plan as versioned YAML files."""

__version__ = "0.1.0"

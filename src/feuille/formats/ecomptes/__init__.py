"""The eComptes format (the Walloon region's PST, XSD 201805V1), both ways (modules: ``read``, ``write``, ``xsd``)."""

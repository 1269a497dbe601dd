"""Site generator: scenario data files to MkDocs pages."""

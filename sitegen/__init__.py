"""Site generator: scenario data files to MkDocs pages.

Three subpackages, named by job, and the edges that use them; imports run one way only:

- ``data``: the YAML files' declarations, loading, validation, schemas and the calculators' catalog;
- ``pages``: every generated page, from a validated data set (imports ``data``);
- ``runtime``: Pyodide with the calculators and the browser glue files (imports neither);
- the edges: ``cli`` (command line), ``make`` (build and check), ``bundle`` (offline zip), ``hook``
  (MkDocs); leaf helpers ``errors``, ``_files`` and ``_fork`` import nothing of sitegen.
"""

"""The data: declarations of the YAML files (``model``), loading (``loader``) and validation that
collects every error (``validate``), the editors' JSON Schemas (``schema``) and the calculators' catalog
(``export``). Imports nothing of sitegen but its leaf helpers (``errors``, ``_files``, ``_fork``).
"""

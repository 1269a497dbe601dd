"""The browser runtime: Pyodide with the calculators, built under Node (``pyodide``, ``node/``,
``stdlib_zip``, ``snapshot``, ``offline``), and the glue files that ship to the browser (``assets``,
``web/``). Imports nothing of sitegen but its leaf helpers; the pages name its files through ``assets``.
"""

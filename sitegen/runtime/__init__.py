"""The browser runtime: Pyodide with the calculators, built under Node (``pyodide``, ``node/``,
``stdlib_zip``, ``trace``, ``snapshot``, ``offline``), the start-up it ships inside Pyodide
(``calc_runtime``), the precompressed copies for servers (``compress``), and the glue files that ship to
the browser (``assets``, ``web/``: the runtime client, its worker and engine, the widgets, the service
worker). Imports nothing of sitegen but its leaf helpers; the pages name its files through ``assets``.
"""

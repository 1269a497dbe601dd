"""The pages: the lookup tables of one build (``site``), the per-item pages (``articles``), the
site-wide ones (``indexes``), the calculator and embed pages (``calcpages``, ``forms``), structured data
(``jsonld``), how values look (``render``, ``templates/``) and all of them together (``build``).
Imports ``sitegen.data`` and the published names of ``sitegen.runtime.assets``; never the edges.
"""

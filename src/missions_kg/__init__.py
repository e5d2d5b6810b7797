"""missions-kg: a knowledge graph of the French science-fiction series *Missions*.

The library does the work (load, infer, validate, query, export); the ``missions-kg``
command line is a thin skin over it.
"""

__version__ = "0.1.0"

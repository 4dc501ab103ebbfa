"""Reports: analysis options shared by ``analyses/*.py``, notebook execution, the index."""

"""Report tables built from saved results documents (CSV and self-contained HTML).

Modules
-------
fmt
    The one place numbers become text.
table
    :class:`~netter.tables.table.Table` and its CSV / HTML renderings.
tte, baseline, response, crossover
    The time-to-event summary (``TTET01-<PARAMCD>``), baseline characteristics
    (``BASET01``), tumour response (``RESPT01``) and crossover-adjusted hazard ratio
    (``XOVT01``) tables.
labels, notes
    Words for ADaM names; methods footnotes.
specimen
    Hand-written documents for examples and tests.
"""
